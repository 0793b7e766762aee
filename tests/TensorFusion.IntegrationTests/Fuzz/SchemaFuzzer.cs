using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Fuzz;

/// <summary>
/// Builds objects from a CRD's openAPIV3Schema that the schema allows but whose values are hostile: quantities of 0,
/// 1e400 and 99999999999Ei, integers at their bounds, every enum value, empty and 253-character strings, cron strings at
/// the edges. Fields with a pattern the fuzzer cannot satisfy are left out (unless required: then they come out invalid
/// and the API server must reject the object at admission).
/// </summary>
internal sealed class SchemaFuzzer(Random random, int maxReplicas)
{
    private const int MaxDepth = 7;

    private static readonly string[] Quantities =
        ["0", "1e400", "99999999999Ei", "1n", "0.000001", "1m", "1", "5", "100", "1000000", "1Ei", "9223372036854775807", ".5", "+5", "1e-9", "80Gi", "1Ki"];

    private static readonly string[] Texts =
        ["", "x", new('a', 253), "* * * * *", "59 23 31 12 *", "0 0 30 2 *", "*/0 * * * *", "@every 0s", "@yearly", "not a cron", "é\u0000"];

    private static readonly string[] DateTimes = ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-29T25:61:61Z"];

    public JsonNode? Value(JsonObject schema, string name, int depth = 0)
    {
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            return random.Next(5) == 0 ? JsonValue.Create(Pick([0L, 1L, long.MaxValue, -1L])) : Pick(Quantities);
        }

        if (schema["enum"] is JsonArray options && options.Count > 0)
        {
            return options[random.Next(options.Count)]?.DeepClone();
        }

        return schema["type"]?.GetValue<string>() switch
        {
            "object" => Object(schema, depth),
            "array" => Array(schema, name, depth),
            "integer" => JsonValue.Create(Integer(schema, name)),
            "number" => JsonValue.Create((double)Integer(schema, name) / Pick([1, 2, 3, 1000])),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "string" => Text(schema),
            _ => null,
        };
    }

    private JsonObject Object(JsonObject schema, int depth)
    {
        var result = new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(item => item?.ToString()).ToHashSet() ?? [];
        if (depth >= MaxDepth)
        {
            return result;
        }

        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject propertySchema && (required.Contains(name) || random.Next(3) == 0) && Value(propertySchema, name, depth + 1) is { } value)
            {
                result[name] = value;
            }
        }

        if (schema["additionalProperties"] is JsonObject additional && random.Next(2) == 0 && Value(additional, "key", depth + 1) is { } extra)
        {
            result[Pick(["a", "tensor-fusion.ai/x", new string('k', 63)])] = extra;
        }

        return result;
    }

    private JsonArray Array(JsonObject schema, string name, int depth)
    {
        var result = new JsonArray();
        var count = Math.Min(random.Next(3), (int?)NumberOf(schema["maxItems"]) ?? 2);
        for (var index = 0; index < count && schema["items"] is JsonObject items; index++)
        {
            if (Value(items, name, depth + 1) is { } item)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private long Integer(JsonObject schema, string name)
    {
        var low = NumberOf(schema["minimum"]) ?? (schema["format"]?.GetValue<string>() == "int32" ? int.MinValue : -1_000_000);
        var high = NumberOf(schema["maximum"]) ?? (schema["format"]?.GetValue<string>() == "int32" ? int.MaxValue : 1_000_000_000);
        if (name is "replicas" or "minReplicas" or "maxReplicas")
        {
            high = Math.Min(high, maxReplicas);
        }

        long[] edges = [(long)low, (long)high, 0, 1, 2, 100, maxReplicas];
        return Math.Clamp(Pick(edges), (long)low, (long)high);
    }

    private JsonNode? Text(JsonObject schema)
    {
        if (schema["format"]?.GetValue<string>() == "date-time")
        {
            return Pick(DateTimes);
        }

        if (schema["pattern"] is not null)
        {
            return null;
        }

        var text = Pick(Texts);
        var maxLength = (int?)NumberOf(schema["maxLength"]) ?? int.MaxValue;
        return text.Length <= maxLength ? text : text[..maxLength];
    }

    private T Pick<T>(T[] options) => options[random.Next(options.Length)];

    private static double? NumberOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : null;
}
