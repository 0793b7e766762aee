namespace TensorFusion.Pipelines.Allocation;

/// <summary>Lookups in Kubernetes label and annotation maps, which the client types as possibly-null <see cref="IDictionary{TKey, TValue}"/>.</summary>
public static class MetadataValues
{
    public static string? Get(IDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;
}
