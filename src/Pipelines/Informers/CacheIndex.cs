namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// A secondary index of an informer's cache (client-go's Indexer): index value → the objects that have it, by cache
/// key. Without one, "the pods of workload X" is a scan of every pod per reconcile, which makes a large cluster
/// quadratic. Not thread-safe: the informer calls it under its own lock.
/// </summary>
internal sealed class CacheIndex<T>(Func<T, string?> valueOf)
    where T : class
{
    private readonly Dictionary<string, Dictionary<string, T>> _buckets = new(StringComparer.Ordinal);

    public void Add(string key, T item)
    {
        if (valueOf(item) is not { } value)
        {
            return;
        }

        if (!_buckets.TryGetValue(value, out var bucket))
        {
            bucket = new Dictionary<string, T>(StringComparer.Ordinal);
            _buckets[value] = bucket;
        }

        bucket[key] = item;
    }

    /// <summary>Removes <paramref name="item"/> (the version that was indexed: its value may differ from the new one's).</summary>
    public void Remove(string key, T item)
    {
        if (valueOf(item) is { } value && _buckets.TryGetValue(value, out var bucket) && bucket.Remove(key) && bucket.Count == 0)
        {
            _buckets.Remove(value);
        }
    }

    public void Rebuild(IEnumerable<KeyValuePair<string, T>> items)
    {
        _buckets.Clear();
        foreach (var (key, item) in items)
        {
            Add(key, item);
        }
    }

    public List<T> Get(string value) => _buckets.TryGetValue(value, out var bucket) ? [.. bucket.Values] : [];
}
