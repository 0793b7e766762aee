using System.Text.Json;
using System.Text.Json.Serialization;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Wraps the Kubernetes client's RFC 3339 converter (so times are written exactly as the client writes them) and
/// turns its FormatException into a field error the serializer can attach a path to.
/// </summary>
internal sealed class CheckedDateTimeConverter(JsonConverter<DateTime> inner) : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FieldValueException($"expected an RFC 3339 time string such as \"2025-01-31T12:00:00Z\", got {JsonTokenNames.Describe(ref reader)}");
        }

        var text = reader.GetString();
        try
        {
            return inner.Read(ref reader, typeToConvert, options);
        }
        catch (FormatException exception)
        {
            throw new FieldValueException($"invalid time \"{text}\"; expected RFC 3339 such as \"2025-01-31T12:00:00Z\"", exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        inner.Write(writer, value, options);
}
