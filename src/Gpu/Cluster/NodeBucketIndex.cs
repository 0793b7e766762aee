namespace TensorFusion.Gpu.Cluster;

/// <summary>
/// Nodes of one pool and model filed by their integer used-score sum, each bucket a sorted list of node ordinals.
/// Walking the buckets from the top (packing) or the bottom (spreading) visits nodes in exactly the order a full scan
/// ranks them, so the first node that fits is the node a full scan would choose, without touching every GPU.
/// Each bucket also keeps an upper bound of its nodes' largest free VRAM, so a walk skips buckets of full nodes whole.
/// </summary>
internal sealed class NodeBucketIndex
{
    private List<int>?[] _buckets = new List<int>?[101];
    private long[] _maxFreeVram = new long[101];

    /// <summary>Highest score with a bucket allocated (buckets above are empty).</summary>
    public int TopScore => _buckets.Length - 1;

    public void Add(int score, int ordinal, long freeVram)
    {
        if (score >= _buckets.Length)
        {
            var size = Math.Max(score + 1, _buckets.Length * 2);
            Array.Resize(ref _buckets, size);
            Array.Resize(ref _maxFreeVram, size);
        }

        var bucket = _buckets[score] ??= [];
        var at = bucket.BinarySearch(ordinal);
        if (at < 0)
        {
            bucket.Insert(~at, ordinal);
        }

        _maxFreeVram[score] = Math.Max(_maxFreeVram[score], freeVram);
    }

    public void Remove(int score, int ordinal)
    {
        if (score < _buckets.Length && _buckets[score] is { } bucket)
        {
            var at = bucket.BinarySearch(ordinal);
            if (at >= 0)
            {
                bucket.RemoveAt(at);
            }

            if (bucket.Count == 0)
            {
                // The bound only ever grows while nodes are in the bucket; an empty bucket starts afresh.
                _maxFreeVram[score] = 0;
            }
        }
    }

    /// <summary>Ordinals with this score, in ordinal order; empty when none.</summary>
    public List<int>? Bucket(int score) => _buckets[score];

    /// <summary>An upper bound of the largest free VRAM on any node in the bucket; a request needing more skips it.</summary>
    public long MaxFreeVramBound(int score) => _maxFreeVram[score];

    /// <summary>Tightens a bucket's bound to the exact maximum after a walk found none of its nodes could take a request.</summary>
    public void Tighten(int score, long exactMaxFreeVram) => _maxFreeVram[score] = exactMaxFreeVram;
}
