using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// One JSON encoding for everything the server writes (quotes and apostrophes stay readable, as in a real API server),
/// and number reads that work whether a value was parsed or built in code.
/// </summary>
public static class JsonText
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Encode(JsonNode? value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static string Text(JsonNode? value) => value?.ToJsonString(Options) ?? "null";

    /// <summary>The number in <paramref name="value"/>, or null when it is not a JSON number.</summary>
    public static double? Number(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Number
            ? double.Parse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static long? WholeNumber(JsonNode? value) => Number(value) is { } number ? (long)number : null;
}
