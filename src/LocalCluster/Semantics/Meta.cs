using System.Globalization;
using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Small accessors over the `metadata` of a JSON object, so the semantics code reads like the API conventions.</summary>
public static class Meta
{
    public static JsonObject Of(JsonObject value)
    {
        if (value["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        value["metadata"] = metadata;
        return metadata;
    }

    public static string? Text(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? Name(JsonObject value) => Text(value["metadata"], "name");

    public static string? Uid(JsonObject value) => Text(value["metadata"], "uid");

    public static bool IsDeleting(JsonObject value) => value["metadata"]?["deletionTimestamp"] is not null;

    public static List<string> Finalizers(JsonObject value) =>
        value["metadata"]?["finalizers"] is JsonArray array ? [.. array.Select(item => item?.ToString() ?? string.Empty)] : [];

    public static void SetFinalizers(JsonObject value, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        if (list.Count == 0)
        {
            Of(value).Remove("finalizers");
        }
        else
        {
            Of(value)["finalizers"] = new JsonArray([.. list.Select(item => (JsonNode)JsonValue.Create(item))]);
        }
    }

    public static Dictionary<string, string> Labels(JsonObject value) => StringMap(value["metadata"]?["labels"]);

    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, item) in obj)
            {
                map[key] = item is JsonValue v && v.TryGetValue<string>(out var text) ? text : item?.ToJsonString() ?? string.Empty;
            }
        }

        return map;
    }

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>The object without metadata and status, to decide whether `metadata.generation` moves.</summary>
    public static bool SpecEquals(JsonObject left, JsonObject right)
    {
        foreach (var (key, item) in left)
        {
            if (key is "metadata" or "status")
            {
                continue;
            }

            if (!JsonNode.DeepEquals(item, right[key]))
            {
                return false;
            }
        }

        return right.All(pair => pair.Key is "metadata" or "status" || left.ContainsKey(pair.Key));
    }
}
