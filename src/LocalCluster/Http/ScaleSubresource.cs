using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Patching;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// The <c>scale</c> subresource of Deployments and ReplicaSets, as an autoscaling/v1 Scale: spec.replicas of the parent,
/// status.replicas and its selector as a string. A write (PUT of a Scale, or a patch of it, which is what
/// <c>kubectl scale</c> sends) changes only the parent's spec.replicas, guarded by the Scale's resourceVersion when given.
/// </summary>
public static class ScaleSubresource
{
    public static JsonObject Of(JsonObject parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var metadata = parent["metadata"] as JsonObject ?? [];
        var matchLabels = Meta.StringMap(parent["spec"]?["selector"]?["matchLabels"]);
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonText.WholeNumber(parent["spec"]?["replicas"]) ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonText.WholeNumber(parent["status"]?["replicas"]) ?? 0,
                ["selector"] = string.Join(',', matchLabels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")),
            },
        };
    }

    public static Task<StoredObject> WriteAsync(
        ResourceOperations operations, ResourceType type, string @namespace, string name, string method, string contentType, JsonNode? body, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(contentType);
        var parent = operations.Store.Get(type.StorageId, @namespace, name) ?? throw ApiException.NotFound(ResourceOperations.Describe(type), name);
        var current = Of(parent.Value);
        var proposed = method == "PUT"
            ? body
            : contentType.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase)
                ? JsonPatch.Apply(current, body)
                : JsonMergePatch.Apply(current, body);
        var replicas = JsonText.WholeNumber(proposed?["spec"]?["replicas"]);
        if (replicas is null or < 0)
        {
            throw ApiException.Invalid("Scale", name, [("spec.replicas", replicas is null ? "Required value" : $"Invalid value: {replicas}: must be greater than or equal to 0")]);
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        if (Meta.Text(proposed?["metadata"], "resourceVersion") is { Length: > 0 } resourceVersion)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        return operations.PatchAsync(type, @namespace, name, "application/merge-patch+json", patch, null, options);
    }
}
