using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>
/// Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`: the 4-byte magic "k8s\0", then a
/// runtime.Unknown envelope {1: TypeMeta, 2: raw object, 3: contentEncoding, 4: contentType}) into the JSON object
/// the rest of the server works on. kubectl 1.32's generator commands send built-in kinds this way and never fall
/// back to JSON, so the kinds in <see cref="BuiltinProtoShapes"/> are understood here. As in Go's JSON encoding of
/// these types, empty strings, zeros, false and empty objects are left out.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes magic bytes \"k8s\\0\"");
        }

        try
        {
            return DecodeEnvelope(body[Magic.Length..]);
        }
        catch (FormatException failure)
        {
            throw ApiException.BadRequest($"the protobuf body is malformed: {failure.Message}");
        }
    }

    private static JsonObject DecodeEnvelope(ReadOnlySpan<byte> envelope)
    {
        string? apiVersion = null, kind = null, encoding = null;
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new WireReader(envelope);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadKey();
            switch (field, wireType)
            {
                case (1, WireReader.LengthDelimited):
                    var typeMeta = new WireReader(reader.ReadLengthDelimited());
                    while (!typeMeta.AtEnd)
                    {
                        var (metaField, metaWire) = typeMeta.ReadKey();
                        if (metaField is 1 or 2 && metaWire == WireReader.LengthDelimited)
                        {
                            var text = Encoding.UTF8.GetString(typeMeta.ReadLengthDelimited());
                            (apiVersion, kind) = metaField == 1 ? (text, kind) : (apiVersion, text);
                        }
                        else
                        {
                            typeMeta.Skip(metaWire);
                        }
                    }

                    break;
                case (2, WireReader.LengthDelimited):
                    raw = reader.ReadLengthDelimited();
                    break;
                case (3, WireReader.LengthDelimited):
                    encoding = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!string.IsNullOrEmpty(encoding))
        {
            throw Unsupported($"the protobuf object uses contentEncoding \"{encoding}\"");
        }

        if (kind is null || !BuiltinProtoShapes.ByKind.TryGetValue(kind, out var shape))
        {
            throw Unsupported($"protobuf bodies are understood for {string.Join(", ", BuiltinProtoShapes.ByKind.Keys)} only (got {kind ?? "no kind"})");
        }

        var result = DecodeMessage(raw, shape);
        result.Insert(0, "apiVersion", apiVersion ?? "v1");
        result.Insert(1, "kind", kind);
        return result;
    }

    private static JsonObject DecodeMessage(ReadOnlySpan<byte> bytes, ProtoMessage shape)
    {
        var result = new JsonObject();
        var reader = new WireReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadKey();
            if (!shape.Fields.TryGetValue(number, out var field))
            {
                SkipUnknown(ref reader, shape, number, wireType);
                continue;
            }

            var value = ReadValue(ref reader, field, wireType, shape);
            if (field.Kind is ProtoKind.StringMap or ProtoKind.BytesMap)
            {
                if (result[field.JsonName] is not JsonObject map)
                {
                    map = [];
                    result[field.JsonName] = map;
                }

                var (key, entry) = ((string, JsonNode?))value!;
                map[key] = entry;
            }
            else if (field.Repeated)
            {
                if (result[field.JsonName] is not JsonArray list)
                {
                    list = [];
                    result[field.JsonName] = list;
                }

                list.Add((JsonNode?)value);
            }
            else if (value is JsonNode node)
            {
                result[field.JsonName] = node;
            }
        }

        return result;
    }

    /// <summary>The field's JSON value (null when it is empty and so left out), or a (key, value) pair for a map entry.</summary>
    private static object? ReadValue(ref WireReader reader, ProtoField field, int wireType, ProtoMessage owner)
    {
        var expected = field.Kind is ProtoKind.Number or ProtoKind.Boolean ? WireReader.Varint : WireReader.LengthDelimited;
        if (field.Kind == ProtoKind.Ignored)
        {
            reader.Skip(wireType);
            return null;
        }

        if (wireType != expected)
        {
            throw new FormatException($"field {field.JsonName} of {owner.Name} has wire type {wireType}, expected {expected}");
        }

        switch (field.Kind)
        {
            case ProtoKind.Number:
                var number = (long)reader.ReadVarint();
                return number == 0 && !field.Repeated ? null : JsonValue.Create(number);
            case ProtoKind.Boolean:
                return reader.ReadVarint() != 0 ? JsonValue.Create(true) : null;
            case ProtoKind.Text:
                var text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                return text.Length == 0 && !field.Repeated ? null : JsonValue.Create(text);
            case ProtoKind.Bytes:
                var raw = reader.ReadLengthDelimited();
                return raw.IsEmpty ? null : JsonValue.Create(Convert.ToBase64String(raw));
            case ProtoKind.StringMap or ProtoKind.BytesMap:
                return MapEntry(reader.ReadLengthDelimited(), field.Kind == ProtoKind.BytesMap);
            case ProtoKind.Time:
                return Time(reader.ReadLengthDelimited());
            case ProtoKind.IntOrString:
                return IntOrString(reader.ReadLengthDelimited());
            default:
                var nested = DecodeMessage(reader.ReadLengthDelimited(), field.Message!);
                return nested.Count == 0 && !field.Repeated ? null : nested;
        }
    }

    private static (string Key, JsonNode? Value) MapEntry(ReadOnlySpan<byte> entry, bool base64Values)
    {
        var reader = new WireReader(entry);
        string key = string.Empty, value = string.Empty;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadKey();
            if (number is 1 or 2 && wireType == WireReader.LengthDelimited)
            {
                var bytes = reader.ReadLengthDelimited();
                var text = number == 2 && base64Values ? Convert.ToBase64String(bytes) : Encoding.UTF8.GetString(bytes);
                (key, value) = number == 1 ? (text, value) : (key, text);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (key, JsonValue.Create(value));
    }

    private static JsonValue? Time(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        long seconds = 0;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadKey();
            if (number == 1 && wireType == WireReader.Varint)
            {
                seconds = (long)reader.ReadVarint();
            }
            else
            {
                // Nanoseconds: Kubernetes JSON timestamps have whole seconds.
                reader.Skip(wireType);
            }
        }

        return seconds == 0
            ? null
            : JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static JsonValue? IntOrString(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        long type = 0, integer = 0;
        var text = string.Empty;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadKey();
            switch (number, wireType)
            {
                case (1, WireReader.Varint):
                    type = (long)reader.ReadVarint();
                    break;
                case (2, WireReader.Varint):
                    integer = (long)reader.ReadVarint();
                    break;
                case (3, WireReader.LengthDelimited):
                    text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(text) : JsonValue.Create((int)integer);
    }

    /// <summary>Go writes every non-pointer field, so unknown empty fields are normal; an unknown field with content is refused, never dropped.</summary>
    private static void SkipUnknown(ref WireReader reader, ProtoMessage shape, int number, int wireType)
    {
        var empty = wireType switch
        {
            WireReader.Varint => reader.ReadVarint() == 0,
            WireReader.LengthDelimited => reader.ReadLengthDelimited().IsEmpty,
            _ => false,
        };
        if (!empty)
        {
            throw Unsupported($"field {number} of {shape.Name} is not understood in protobuf here");
        }
    }

    private static ApiException Unsupported(string why) =>
        new(415, "UnsupportedMediaType", $"{why}; send the object as JSON or YAML instead (for example `kubectl create ... --dry-run=client -o yaml | kubectl apply -f -`)");
}
