using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Reads multi-document YAML (JSON is a subset) into JSON trees, recording the line of every field. Plain scalars are
/// typed by the YAML 1.2 core schema (null, true/false, integers, decimals); quoted scalars stay strings. Fields set
/// to null are dropped, as the API server treats them as absent.
/// </summary>
public static partial class YamlJsonReader
{
    /// <summary>
    /// The documents of <paramref name="text"/>. A syntax error ends the stream: the documents before it are returned
    /// and the error is reported with the index of the document it is in.
    /// </summary>
    public static (IReadOnlyList<YamlDocumentTree> Documents, (int DocumentIndex, YamlSyntaxException Error)? SyntaxError) ReadDocuments(string text)
    {
        var documents = new List<YamlDocumentTree>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var builder = new TreeBuilder(parser);
                var root = parser.Accept<DocumentEnd>(out _) ? null : builder.ReadNode(string.Empty);
                parser.Consume<DocumentEnd>();
                documents.Add(new YamlDocumentTree(documents.Count + 1, (int)start.Start.Line, root, builder.Lines));
            }

            parser.Consume<StreamEnd>();
            return (documents, null);
        }
        catch (YamlException exception)
        {
            var line = (int)exception.Start.Line;
            var error = new YamlSyntaxException($"malformed YAML: {TrimLocation(exception.Message)}", line, exception);
            return (documents, (documents.Count + 1, error));
        }
        catch (YamlSyntaxException exception)
        {
            return (documents, (documents.Count + 1, exception));
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet's scanner throws this for some malformed flow collections (an unclosed "[" before a new
            // key): report it as a syntax error after the last event that parsed.
            var line = (int)(parser.Current?.End.Line ?? 1);
            var error = new YamlSyntaxException("malformed YAML: unexpected content after this point (an unclosed [ or {?)", line, exception);
            return (documents, (documents.Count + 1, error));
        }
    }

    private static string TrimLocation(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the line is reported separately.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    internal static JsonNode? TypedScalar(Scalar scalar)
    {
        var value = scalar.Value;
        var plain = scalar.Style == ScalarStyle.Plain;
        if (!scalar.Tag.IsEmpty)
        {
            var tag = scalar.Tag.Value;
            plain = tag is "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null";
        }

        if (!plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerSyntax().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatSyntax().IsMatch(value))
        {
            if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && double.IsFinite(big))
            {
                return JsonValue.Create(big);
            }
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerSyntax();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatSyntax();

    private sealed class TreeBuilder(IParser parser)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

        public JsonNode? ReadNode(string path)
        {
            var current = parser.Current ?? throw new YamlSyntaxException("unexpected end of YAML");
            Lines.TryAdd(path, (int)current.Start.Line);
            JsonNode? node;
            string? anchor = null;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return _anchors.TryGetValue(alias.Value.Value, out var target)
                        ? target?.DeepClone()
                        : throw new YamlSyntaxException($"unknown alias *{alias.Value.Value}", (int)alias.Start.Line);
                case Scalar scalar:
                    parser.MoveNext();
                    anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                    node = TypedScalar(scalar);
                    break;
                case SequenceStart sequence:
                    parser.MoveNext();
                    anchor = sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value;
                    node = ReadSequence(path);
                    break;
                case MappingStart mapping:
                    parser.MoveNext();
                    anchor = mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value;
                    node = ReadMapping(path);
                    break;
                default:
                    throw new YamlSyntaxException($"unexpected YAML event {current.GetType().Name}", (int)current.Start.Line);
            }

            if (anchor is not null)
            {
                _anchors[anchor] = node?.DeepClone();
            }

            return node;
        }

        private JsonArray ReadSequence(string path)
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(FieldPath.Index(path, array.Count)));
            }

            return array;
        }

        private JsonObject ReadMapping(string path)
        {
            var mapping = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (parser.Current is not Scalar key)
                {
                    var line = (int)(parser.Current?.Start.Line ?? 0);
                    throw new YamlSyntaxException($"{Display(path)}: mapping keys must be plain strings", line);
                }

                parser.MoveNext();
                var childPath = FieldPath.Property(path, key.Value);
                if (mapping.ContainsKey(key.Value))
                {
                    throw new YamlSyntaxException($"{Display(childPath)}: duplicate key \"{key.Value}\"", (int)key.Start.Line);
                }

                Lines[childPath] = (int)key.Start.Line;
                var value = ReadNode(childPath);
                Lines[childPath] = (int)key.Start.Line;
                if (value is not null)
                {
                    mapping[key.Value] = value;
                }
            }

            return mapping;
        }

        private static string Display(string path) => path.Length == 0 ? "document" : path;
    }
}
