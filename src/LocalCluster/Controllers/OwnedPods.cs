using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>What the ReplicaSet, Deployment and Job controllers share: controller references, pods from a template, pod states.</summary>
public static class OwnedPods
{
    /// <summary>The controller reference of <paramref name="value"/>: kind, name and uid, or null.</summary>
    public static (string Kind, string Name, string Uid)? ControllerOf(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var reference = (value["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(owner => owner["controller"]?.GetValue<bool>() == true);
        return reference is null || Meta.Text(reference, "kind") is not { } kind || Meta.Text(reference, "name") is not { } name
            ? null
            : (kind, name, Meta.Text(reference, "uid") ?? string.Empty);
    }

    /// <summary>Every object of <paramref name="storageId"/> in the namespace whose controller is <paramref name="ownerUid"/>.</summary>
    public static List<StoredObject> Controlled(ObjectStore store, string storageId, string @namespace, string ownerUid)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.List(storageId, @namespace, item => ControllerOf(item.Value)?.Uid == ownerUid).Items;
    }

    public static bool IsTerminal(JsonObject pod) => Phase(pod) is "Succeeded" or "Failed";

    public static string? Phase(JsonObject pod) => Meta.Text(pod["status"], "phase");

    /// <summary>Counts towards replicas: not being deleted and not finished.</summary>
    public static bool IsActive(JsonObject pod) => !Meta.IsDeleting(pod) && !IsTerminal(pod);

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(condition => Meta.Text(condition, "type") == "Ready" && Meta.Text(condition, "status") == "True");

    /// <summary>Scale-down order, as the ReplicaSet controller's: unscheduled first, then not ready, then the newest.</summary>
    public static IEnumerable<StoredObject> ScaleDownOrder(IEnumerable<StoredObject> pods) =>
        pods.OrderBy(pod => string.IsNullOrEmpty(Meta.Text(pod.Value["spec"], "nodeName")) ? 0 : 1)
            .ThenBy(pod => IsReady(pod.Value) ? 1 : 0)
            .ThenByDescending(pod => Meta.Text(pod.Value["metadata"], "creationTimestamp"), StringComparer.Ordinal);

    public static JsonObject ControllerReference(string apiVersion, string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = Meta.Name(owner),
        ["uid"] = Meta.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>An object made from <paramref name="template"/> (its metadata and spec), controlled by the owner <paramref name="controllerReference"/> names.</summary>
    public static JsonObject FromTemplate(JsonNode? template, string generateName, JsonObject controllerReference)
    {
        var metadata = template?["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata.Remove("name");
        metadata["generateName"] = generateName;
        metadata["ownerReferences"] = new JsonArray(controllerReference.DeepClone());
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = template?["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>A short stable hash of a pod template (keys sorted, so a reordered apply is no new revision).</summary>
    public static string TemplateHash(JsonNode? template)
    {
        var canonical = Encoding.UTF8.GetBytes(Canonical(template));
        return Convert.ToHexString(SHA256.HashData(canonical))[..10].ToLowerInvariant();
    }

    /// <summary>Sets <paramref name="status"/> on the object unless it already has exactly that status.</summary>
    public static async Task WriteStatusIfChangedAsync(ResourceOperations operations, Resources.ResourceType type, StoredObject stored, JsonObject status)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(stored);
        if (JsonNode.DeepEquals(stored.Value["status"], status))
        {
            return;
        }

        await operations.WriteStatusAsync(type, stored.Namespace, stored.Name, current => current["status"] = status.DeepClone());
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject value => "{" + string.Join(',', value.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => JsonValue.Create(pair.Key).ToJsonString() + ":" + Canonical(pair.Value))) + "}",
        JsonArray items => "[" + string.Join(',', items.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
