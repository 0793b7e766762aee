using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TensorFusion.Api.Schema;

/// <summary>
/// Writes a JSON tree as block-style YAML, deterministically (property order kept), quoting a string only when YAML
/// would read it as something else. Enough for CRDs and kustomizations; not a general YAML emitter.
/// </summary>
public static partial class YamlWriter
{
    public static string Write(JsonNode node)
    {
        var output = new StringBuilder();
        WriteBlock(node, 0, output);
        return output.ToString();
    }

    private static void WriteBlock(JsonNode? node, int indent, StringBuilder output)
    {
        switch (node)
        {
            case JsonObject mapping:
                foreach (var (key, value) in mapping)
                {
                    output.Append(' ', indent).Append(Scalar(key)).Append(':');
                    WriteValue(value, indent, output);
                }

                break;
            case JsonArray sequence:
                foreach (var item in sequence)
                {
                    output.Append(' ', indent).Append('-');
                    if (item is JsonObject { Count: > 0 } itemMapping)
                    {
                        // The first property shares the dash line; the rest align under it.
                        var first = true;
                        foreach (var (key, value) in itemMapping)
                        {
                            output.Append(first ? " " : new string(' ', indent + 2)).Append(Scalar(key)).Append(':');
                            WriteValue(value, indent + 2, output);
                            first = false;
                        }
                    }
                    else
                    {
                        WriteValue(item, indent, output);
                    }
                }

                break;
            default:
                output.Append(Scalar(node)).Append('\n');
                break;
        }
    }

    private static void WriteValue(JsonNode? value, int indent, StringBuilder output)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                output.Append(" {}\n");
                break;
            case JsonArray { Count: 0 }:
                output.Append(" []\n");
                break;
            case JsonObject:
                output.Append('\n');
                WriteBlock(value, indent + 2, output);
                break;
            case JsonArray:
                output.Append('\n');
                WriteBlock(value, indent + 2, output);
                break;
            default:
                output.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Scalar(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        JsonValue value => value.ToJsonString(),
        _ => throw new ArgumentException("collections are written as blocks", nameof(node)),
    };

    private static string Scalar(string text) =>
        PlainSafe().IsMatch(text) && !LooksTyped(text) ? text : JsonSerializer.Serialize(text, QuoteOptions);

    private static bool LooksTyped(string text) =>
        text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "null" or "Null" or "NULL" or "~" or "yes" or "no" or "on" or "off" or "y" or "n"
        || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./\- ()]*(?<! )$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();
}
