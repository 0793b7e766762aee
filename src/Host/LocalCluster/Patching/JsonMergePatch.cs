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

            var current = result[name];
            result.Remove(name);
            result[name] = Apply(current, value);
        }

        return result;
    }
}
