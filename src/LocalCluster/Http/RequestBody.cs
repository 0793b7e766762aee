using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TensorFusion.LocalCluster.Protobuf;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TensorFusion.LocalCluster.Http;

/// <summary>Reads a request body (JSON, or YAML when the content type says so) with the API server's 3 MiB limit.</summary>
public static class RequestBody
{
    public const int MaxRequestBytes = 3 * 1024 * 1024;

    /// <summary>How much of an oversized body is still read (and thrown away) before answering 413.</summary>
    public const int DrainLimitBytes = 32 * 1024 * 1024;

    public static async Task<(JsonNode? Node, int Bytes)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        CheckMediaType(request.ContentType);
        // A pooled buffer sized from Content-Length: a create is ~1 KB, and a fresh 80 KB scratch array per request
        // showed up in the write benchmark as page clearing and GC work.
        var expected = request.ContentLength is > 0 and <= MaxRequestBytes ? (int)request.ContentLength.Value : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(expected + 1);
        try
        {
            var length = 0;
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                total += read;
                if (total > DrainLimitBytes)
                {
                    break;
                }

                // An oversized body is read to the end (up to the drain limit) so the client gets the 413, not a broken pipe.
                length = total > MaxRequestBytes ? 0 : length + read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxRequestBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            if (total > MaxRequestBytes)
            {
                throw TooLarge(total);
            }

            if (length == 0)
            {
                throw ApiException.BadRequest("the request body is empty");
            }

            var bytes = buffer.AsSpan(0, length);
            var contentType = request.ContentType ?? "application/json";
            JsonNode? node = contentType.StartsWith(KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase) ? KubernetesProtobuf.Decode(bytes)
                : contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) ? ParseYaml(bytes)
                : ParseJson(bytes);
            return (node, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>JSON, YAML, and protobuf for the built-in kinds kubectl's generators send; CBOR is not spoken here.</summary>
    private static void CheckMediaType(string? contentType)
    {
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase) &&
            !contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) &&
            !contentType.StartsWith(KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, {KubernetesProtobuf.MediaType} (got {contentType})");
        }
    }

    public static JsonNode? ParseJson(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
        }
        catch (JsonException failure)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {failure.Message}");
        }
    }

    public static JsonNode? ParseYaml(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(System.Text.Encoding.UTF8.GetString(bytes));
            stream.Load(reader);
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, 0);
        }
        catch (YamlException failure)
        {
            throw ApiException.BadRequest($"the request body is not valid YAML: line {failure.Start.Line}: {failure.Message}");
        }
    }

    /// <summary>Every document of a multi-document YAML stream (a rendered kustomization), empty documents skipped.</summary>
    public static IReadOnlyList<JsonObject> ParseYamlDocuments(string text)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(text);
            stream.Load(reader);
            return [.. stream.Documents.Select(document => Convert(document.RootNode, 0)).OfType<JsonObject>()];
        }
        catch (YamlException failure)
        {
            throw ApiException.BadRequest($"the manifest is not valid YAML: line {failure.Start.Line}: {failure.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node, int depth)
    {
        if (depth > 100)
        {
            throw ApiException.BadRequest("the request body nests too deeply");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[((YamlScalarNode)key).Value ?? string.Empty] = Convert(value, depth + 1);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(child => Convert(child, depth + 1))]);
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw ApiException.BadRequest("the request body uses an unsupported YAML construct");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && text.Any(char.IsDigit) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    private static ApiException TooLarge(long bytes) =>
        new(413, "RequestEntityTooLarge", $"the request body is too large: {bytes} bytes, the limit is {MaxRequestBytes} bytes");
}
