using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Kubernetes quantities as the API server accepts them: a string or a number matching the quantity grammar. Written
/// in canonical form, as the Kubernetes client writes them ("1.5" becomes "1500m").
/// </summary>
internal sealed partial class QuantityJsonConverter : JsonConverter<ResourceQuantity>
{
    /// <summary>The quantity grammar of k8s.io/apimachinery, also emitted as the CRD pattern.</summary>
    public const string Pattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    public override bool HandleNull => false;

    public override ResourceQuantity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString() ?? string.Empty,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw new FieldValueException($"expected a quantity (string or number such as \"10\", \"500m\", \"16Gi\"), got {JsonTokenNames.Describe(ref reader)}"),
        };
        if (!QuantityGrammar().IsMatch(text))
        {
            throw new FieldValueException($"invalid quantity \"{text}\"; expected a Kubernetes quantity such as \"10\", \"500m\" or \"16Gi\"");
        }

        try
        {
            return new ResourceQuantity(text);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or ArgumentException)
        {
            throw new FieldValueException($"invalid quantity \"{text}\": {exception.Message}", exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex QuantityGrammar();
}
