using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TensorFusion.Api.Serialization;

/// <summary>Short descriptions of JSON values for error messages ("string \"3\"", "number 0.95", "object").</summary>
internal static class JsonTokenNames
{
    private const int MaxShown = 40;

    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"string \"{Shorten(reader.GetString() ?? string.Empty)}\"",
        JsonTokenType.Number => $"number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.True => "boolean true",
        JsonTokenType.False => "boolean false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => $"string \"{Shorten(value.GetValue<string>())}\"",
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => $"number {value.ToJsonString()}",
        _ => $"boolean {node.ToJsonString()}",
    };

    private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "…";
}
