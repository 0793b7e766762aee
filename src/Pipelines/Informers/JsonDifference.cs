using System.Globalization;
using System.Text.Json.Nodes;

namespace TensorFusion.Pipelines.Informers;

/// <summary>The first place two JSON trees differ, as a field path with both values (for mutation reports).</summary>
internal static class JsonDifference
{
    /// <summary>Null when the trees are equal; otherwise e.g. <c>spec.containers[0].image: "a" → "b"</c>.</summary>
    public static string? First(JsonNode? before, JsonNode? after, string path)
    {
        switch (before, after)
        {
            case (JsonObject a, JsonObject b):
                foreach (var name in a.Select(pair => pair.Key).Union(b.Select(pair => pair.Key)))
                {
                    var child = path.Length == 0 ? name : path + "." + name;
                    if (!a.ContainsKey(name) || !b.ContainsKey(name))
                    {
                        return $"{child}: {Show(a[name], a.ContainsKey(name))} → {Show(b[name], b.ContainsKey(name))}";
                    }

                    if (First(a[name], b[name], child) is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                {
                    if (First(a[i], b[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]") is { } difference)
                    {
                        return difference;
                    }
                }

                return a.Count == b.Count ? null : $"{Root(path)}: {a.Count} items → {b.Count} items";
            default:
                return JsonNode.DeepEquals(before, after) ? null : $"{Root(path)}: {Show(before, true)} → {Show(after, true)}";
        }
    }

    private static string Root(string path) => path.Length == 0 ? "(the object)" : path;

    private static string Show(JsonNode? node, bool present) => !present ? "(absent)" : node?.ToJsonString() ?? "null";
}
