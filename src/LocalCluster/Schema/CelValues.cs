using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Schema;

/// <summary>
/// Turns JSON into the values the Cel library evaluates, typed by the schema as Kubernetes does: objects become maps
/// (so `has(self.x)` is a key test), arrays lists, `integer` long, `number` double (also when the JSON has no
/// fraction, so `self.ratio >= 0.5` compares doubles), strings and booleans as they are.
/// </summary>
public static class CelValues
{
    public static object? From(JsonNode? value, JsonObject? schema)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject obj:
                var properties = schema?["properties"] as JsonObject;
                var additional = schema?["additionalProperties"] as JsonObject;
                return obj.ToDictionary(pair => pair.Key, pair => From(pair.Value, properties?[pair.Key] as JsonObject ?? additional));
            case JsonArray array:
                var items = schema?["items"] as JsonObject;
                return array.Select(item => From(item, items)).ToList();
        }

        var type = schema?["type"]?.GetValue<string>();
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when type == "number" => JsonText.Number(value),
            JsonValueKind.Number => JsonText.Number(value) is { } number && Math.Floor(number) == number && type != null ? (long)number : JsonText.Number(value),
            _ => null,
        };
    }
}
