namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// The most recent committed events, oldest first, in a fixed-size ring. Watches resume from here; a revision older
/// than what the ring still covers is "compacted" and answers 410 Expired.
/// </summary>
public sealed class EventHistory(int capacity, long compactedThrough)
{
    private readonly WatchEvent[] _ring = new WatchEvent[Math.Max(1, capacity)];
    private int _start;
    private int _count;

    /// <summary>Every event with a revision above this is still held.</summary>
    public long CompactedThrough { get; private set; } = compactedThrough;

    public void Add(WatchEvent change)
    {
        if (_count == _ring.Length)
        {
            CompactedThrough = _ring[_start].Revision;
            _ring[_start] = change;
            _start = (_start + 1) % _ring.Length;
            return;
        }

        _ring[(_start + _count) % _ring.Length] = change;
        _count++;
    }

    /// <summary>Events after <paramref name="revision"/> for one resource (or all when null).</summary>
    public IEnumerable<WatchEvent> After(long revision, string? storageId)
    {
        if (revision < CompactedThrough)
        {
            throw new ExpiredRevisionException(revision, CompactedThrough);
        }

        for (var index = 0; index < _count; index++)
        {
            var change = _ring[(_start + index) % _ring.Length];
            if (change.Revision > revision && (storageId is null || change.Current?.StorageId == storageId))
            {
                yield return change;
            }
        }
    }
}
