namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// The most recent committed events, oldest first, in a fixed-size ring that also forgets events older than a
/// retention window (as etcd's periodic compaction does), so a long-running server's history stays bounded in time
/// and memory even below the capacity. Watches resume from here; a revision older than what the ring still covers is
/// "compacted" and answers 410 Expired. Age is checked when an event is added: an idle server keeps what it has.
/// </summary>
public sealed class EventHistory(int capacity, long compactedThrough, TimeSpan retention)
{
    private readonly (WatchEvent Change, DateTimeOffset At)[] _ring = new (WatchEvent, DateTimeOffset)[Math.Max(1, capacity)];
    private int _start;
    private int _count;

    /// <summary>Every event with a revision above this is still held.</summary>
    public long CompactedThrough { get; private set; } = compactedThrough;

    public int Count => _count;

    public void Add(WatchEvent change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (_count > 0 && (_count == _ring.Length || now - _ring[_start].At > retention))
        {
            CompactedThrough = _ring[_start].Change.Revision;
            _ring[_start] = default;
            _start = (_start + 1) % _ring.Length;
            _count--;
        }

        _ring[(_start + _count) % _ring.Length] = (change, now);
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
            var change = _ring[(_start + index) % _ring.Length].Change;
            if (change.Revision > revision && (storageId is null || change.Current?.StorageId == storageId))
            {
                yield return change;
            }
        }
    }
}
