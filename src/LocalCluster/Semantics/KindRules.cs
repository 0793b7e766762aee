using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// What a few built-in kinds do on create beyond the generic rules (pods start Pending, namespaces Active, CRDs
/// Established, Deployments/ReplicaSets/Jobs defaulted and their selectors checked as the API server does).
/// </summary>
public static class KindRules
{
    public static void OnCreate(ResourceType type, JsonObject value)
    {
        switch (type.StorageId)
        {
            case "pods":
                var status = value["status"] as JsonObject ?? [];
                status["phase"] ??= "Pending";
                value["status"] = status;
                DefaultContainerPorts(value);
                break;
            case "namespaces":
                value["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                value["status"] = new JsonObject { ["phase"] = "Active" };
                Labels(value)["kubernetes.io/metadata.name"] = Meta.Name(value);
                break;
            case "secrets":
                DefaultSecret(value);
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
                MarkEstablished(value);
                break;
            case Disruption.DisruptionBudgets.StorageId:
                // As the API server does: a new budget's status is the disruption controller's to write.
                value.Remove("status");
                break;
            case "deployments.apps" or "replicasets.apps":
                ReplicatedDefaults.Apply(type.Kind, value);
                break;
            case "jobs.batch":
                ReplicatedDefaults.ApplyJob(value);
                break;
        }

        Validate(type, value);
    }

    /// <summary>Built-in kinds whose spec the API server validates (422 naming the field): PodDisruptionBudgets.</summary>
    public static void Validate(ResourceType type, JsonObject value)
    {
        if (type.StorageId == Disruption.DisruptionBudgets.StorageId)
        {
            Disruption.DisruptionBudgets.ThrowIfInvalid(value);
        }
    }

    /// <summary>As the API server does: type defaults to Opaque, and write-only stringData is folded into data (base64).</summary>
    private static void DefaultSecret(JsonObject secret)
    {
        if (string.IsNullOrEmpty(Meta.Text(secret, "type")))
        {
            secret["type"] = "Opaque";
        }

        if (secret["stringData"] is not JsonObject plain)
        {
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = [];
            secret["data"] = data;
        }

        foreach (var (key, text) in plain)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text?.ToString() ?? string.Empty));
        }

        secret.Remove("stringData");
    }

    /// <summary>Checks a CRD and sets the conditions `kubectl wait --for condition=established` looks for.</summary>
    public static IReadOnlyList<ResourceType> MarkEstablished(JsonObject crd)
    {
        var (types, error) = CustomResourceDefinitionReader.Read(crd);
        if (error is not null)
        {
            var colon = error.IndexOf(':', StringComparison.Ordinal);
            throw ApiException.Invalid("CustomResourceDefinition", Meta.Name(crd) ?? string.Empty, [(error[..colon], error[(colon + 1)..].Trim())]);
        }

        var now = crd["metadata"]?["creationTimestamp"]?.DeepClone();
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = crd["spec"]!["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now?.DeepClone())),
            ["storedVersions"] = new JsonArray([.. types.Take(1).Select(type => (JsonNode)JsonValue.Create(type.Version))]),
        };
        return types;
    }

    /// <summary>Container ports default to TCP, as the API server's defaulting does.</summary>
    private static void DefaultContainerPorts(JsonObject pod)
    {
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
            }
        }
    }

    private static JsonObject Labels(JsonObject value)
    {
        var metadata = Meta.Of(value);
        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        return labels;
    }

    private static JsonObject Condition(string type, string reason, string message, JsonNode? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = time,
    };
}
