namespace TensorFusion.Gpu.Cluster;

/// <summary>
/// Nodes of one pool and model filed by their integer used-score sum, each bucket ordered by node ordinal. Walking the
/// buckets from the top (packing) or the bottom (spreading) visits nodes in exactly the order a full scan would rank
/// them, so the first node that fits is the node a full scan would choose, without touching every GPU.
/// </summary>
internal sealed class NodeBucketIndex
{
    private SortedSet<int>?[] _buckets = new SortedSet<int>?[101];
    private int _count;

    public int Count => _count;

    public void Add(int score, int ordinal)
    {
        if (score >= _buckets.Length)
        {
            Array.Resize(ref _buckets, Math.Max(score + 1, _buckets.Length * 2));
        }

        (_buckets[score] ??= []).Add(ordinal);
        _count++;
    }

    public void Remove(int score, int ordinal)
    {
        if (_buckets[score]?.Remove(ordinal) == true)
        {
            _count--;
        }
    }

    /// <summary>Node ordinals, highest score first (<paramref name="descending"/>) or lowest first; ordinal order within a score.</summary>
    public IEnumerable<int> Ordinals(bool descending)
    {
        if (descending)
        {
            for (var score = _buckets.Length - 1; score >= 0; score--)
            {
                if (_buckets[score] is { Count: > 0 } bucket)
                {
                    foreach (var ordinal in bucket)
                    {
                        yield return ordinal;
                    }
                }
            }
        }
        else
        {
            for (var score = 0; score < _buckets.Length; score++)
            {
                if (_buckets[score] is { Count: > 0 } bucket)
                {
                    foreach (var ordinal in bucket)
                    {
                        yield return ordinal;
                    }
                }
            }
        }
    }
}
