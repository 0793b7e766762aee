using System.Text.Json.Nodes;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Lays a workload's workerPodTemplate over the pool's worker template, the way a strategic merge patch does for pod
/// templates: objects merge key by key, lists of named items (containers, volumes, env, ports, volumeMounts) merge by
/// <c>name</c>, other lists and scalars are replaced, and <c>null</c> removes a key.
/// </summary>
public static class PodTemplateMerge
{
    public static JsonNode? Merge(JsonNode? basis, JsonNode? overlay)
    {
        if (overlay is null)
        {
            return basis?.DeepClone();
        }

        if (basis is JsonObject baseObject && overlay is JsonObject overlayObject)
        {
            var result = (JsonObject)baseObject.DeepClone();
            foreach (var (key, value) in overlayObject)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = Merge(result[key], value);
                }
            }

            return result;
        }

        if (basis is JsonArray baseArray && overlay is JsonArray overlayArray && IsNamedList(baseArray) && IsNamedList(overlayArray))
        {
            var result = (JsonArray)baseArray.DeepClone();
            foreach (var item in overlayArray)
            {
                var name = (string?)item!["name"];
                var index = result.Select((existing, i) => (existing, i)).FirstOrDefault(pair => (string?)pair.existing!["name"] == name, (null, -1)).Item2;
                if (index >= 0)
                {
                    result[index] = Merge(result[index], item);
                }
                else
                {
                    result.Add(item!.DeepClone());
                }
            }

            return result;
        }

        return overlay.DeepClone();
    }

    private static bool IsNamedList(JsonArray array) =>
        array.All(item => item is JsonObject named && named["name"] is JsonValue value && value.TryGetValue<string>(out _));
}
