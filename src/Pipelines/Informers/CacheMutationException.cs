namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// Code changed an object held in an informer's cache (see <see cref="CacheMutationDetector{T}"/>). Never healed: the
/// informer stops with it and so does the operator, because every reader of that cache now sees a state the API server
/// never stored.
/// </summary>
public sealed class CacheMutationException(string kind, string key, string difference)
    : Exception($"{kind} {key} was modified in the informer cache (first difference at {difference}); code must copy a cached object before changing it")
{
    public string Kind { get; } = kind;

    public string Key { get; } = key;

    /// <summary>The first differing field path and both values, e.g. <c>metadata.labels.a: "1" → "2"</c>.</summary>
    public string Difference { get; } = difference;
}
