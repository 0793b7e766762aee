using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// The JSON options to use everywhere for tensor-fusion.ai/v1 objects. They start from the Kubernetes client's own
/// options (camelCase, nulls omitted, RFC 3339 times) so objects serialize byte-for-byte like the client does, then
/// swap in exact-name enums and checked quantities.
/// </summary>
public static class TensorFusionJson
{
    /// <summary>Lenient options for objects read from the API server: unknown fields (newer servers) are ignored.</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: false);

    /// <summary>Strict options for user manifests: an unknown field is an error (a typo would otherwise be dropped).</summary>
    public static JsonSerializerOptions StrictOptions { get; } = Create(strict: true);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create(bool strict)
    {
        JsonSerializerOptions? kubernetesOptions = null;
        KubernetesJson.AddJsonOptions(options => kubernetesOptions = new JsonSerializerOptions(options));
        var options = kubernetesOptions ?? throw new InvalidOperationException("KubernetesJson did not expose its options");

        var dateTimeConverter = options.Converters.OfType<JsonConverter<DateTime>>().First();
        var replaced = options.Converters
            .Where(converter => converter is JsonStringEnumConverter || ReferenceEquals(converter, dateTimeConverter))
            .ToList();
        foreach (var converter in replaced)
        {
            options.Converters.Remove(converter);
        }

        options.Converters.Insert(0, new CheckedDateTimeConverter(dateTimeConverter));
        options.Converters.Insert(0, new QuantityJsonConverter());
        options.Converters.Add(new WireEnumConverterFactory());
        options.UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
