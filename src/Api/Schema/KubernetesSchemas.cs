using System.Text.Json.Nodes;

namespace TensorFusion.Api.Schema;

/// <summary>Schemas of the few Kubernetes types the API spells out instead of preserving unknown fields.</summary>
internal static class KubernetesSchemas
{
    /// <summary>metav1.Condition with the bounds apimachinery itself declares.</summary>
    public static JsonObject Condition() => new()
    {
        ["type"] = "object",
        ["description"] = "A metav1.Condition: one aspect of the object's current state.",
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ["message"] = new JsonObject { ["type"] = "string", ["maxLength"] = 32768 },
            ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
            ["reason"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 1024,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
            },
            ["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("True", "False", "Unknown") },
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
            },
        },
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
    };
}
