using System.Text.Json;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// Reads what identifies an object (name, namespace, uid, resourceVersion, generation) from its raw JSON, so an object
/// that does not decode can still be quarantined, reported and forgotten under its own key.
/// </summary>
internal static class InvalidObjectReader
{
    /// <summary>The exceptions a converter may throw for a stored value it cannot take: each quarantines one object.</summary>
    public static bool IsDecodeFailure(Exception exception) =>
        exception is JsonException or FormatException or OverflowException or ArgumentException or InvalidOperationException or NotSupportedException or InvalidCastException;

    public static InvalidObject Read(string kind, JsonElement element, string problem)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || Text(metadata, "name") is not { Length: > 0 } name)
        {
            // Without a name there is no key to quarantine: the stream itself is broken, the informer relists.
            throw new JsonException($"{kind} object without metadata.name ({problem})");
        }

        long? generation = metadata.TryGetProperty("generation", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
        List<string> finalizers = metadata.TryGetProperty("finalizers", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];
        return new InvalidObject(kind, Text(metadata, "namespace"), name, Text(metadata, "uid"), Text(metadata, "resourceVersion"), generation, problem)
        {
            Deleting = metadata.TryGetProperty("deletionTimestamp", out var deletion) && deletion.ValueKind == JsonValueKind.String,
            Finalizers = finalizers,
        };
    }

    /// <summary>"spec.resources.requests.tflops: invalid quantity "abc"…": the field, then what is wrong with its value.</summary>
    public static string Describe(Exception exception)
    {
        var message = exception.Message;
        if (exception is JsonException json && json.Path is { Length: > 0 } jsonPath)
        {
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
            return $"{FieldPath.FromJsonPath(jsonPath)}: {message}";
        }

        return exception.InnerException is { } inner && exception is JsonException ? $"{message} ({inner.Message})" : message;
    }

    private static string? Text(JsonElement metadata, string property) =>
        metadata.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
