using System.Text.Json;
using System.Text.Json.Serialization;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Reads and writes API enums by their exact wire names. Unlike <see cref="JsonStringEnumConverter"/> it rejects
/// integers and case variants (the CRD would too) and names the supported values in its error.
/// </summary>
internal sealed class WireEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WireEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class WireEnumConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly string _supported = string.Join(", ", WireNames.Names(typeof(T)));

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new FieldValueException($"expected one of {_supported} as a string, got {JsonTokenNames.Describe(ref reader)}");
            }

            var text = reader.GetString();
            return WireNames.TryParse<T>(text, out var value)
                ? value
                : throw new FieldValueException($"unsupported value \"{text}\"; supported: {_supported}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WireNames.ToWire(value));
    }
}
