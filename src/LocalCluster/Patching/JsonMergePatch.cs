using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Patching;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else (arrays too) replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            // Merge in place so untouched keys keep their order; only replaced values are re-attached.
            var current = result[name];
            var merged = Apply(current, value);
            if (!ReferenceEquals(merged, current))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
