using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// <c>x-kubernetes-list-type</c>: a <c>set</c> holds no two equal items, a <c>map</c> no two items with the same values of
/// its <c>x-kubernetes-list-map-keys</c> (the API server answers "Duplicate value" at the second one).
/// </summary>
internal static class ListUniqueness
{
    public static void Check(JsonArray array, JsonObject schema, string path, SchemaValidation result)
    {
        var listType = schema["x-kubernetes-list-type"]?.GetValue<string>();
        if (listType is not ("set" or "map"))
        {
            return;
        }

        var keys = schema["x-kubernetes-list-map-keys"] is JsonArray names ? names.Select(name => name?.ToString() ?? string.Empty).ToArray() : [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < array.Count; index++)
        {
            var item = array[index];
            var identity = listType == "set" || item is not JsonObject entry
                ? JsonText.Text(item)
                : JsonText.Text(new JsonObject(keys.Select(key => KeyValuePair.Create(key, entry[key]?.DeepClone()))));
            if (!seen.Add(identity))
            {
                result.Errors.Add(($"{path}[{index}]", $"Duplicate value: {identity}"));
            }
        }
    }
}
