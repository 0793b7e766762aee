using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Tests.Storage;

/// <summary>The watch history forgets by count and by age, and says Expired for anything it forgot.</summary>
public sealed class EventHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_EventOlderThanRetention_CompactedAndResumingBeforeItExpires()
    {
        var history = new EventHistory(capacity: 100, compactedThrough: 0, retention: TimeSpan.FromMinutes(5));
        history.Add(Event(1), T0);
        history.Add(Event(2), T0.AddMinutes(3));

        // At 6 min, event 1 (6 min old) goes; event 2 (3 min old) stays.
        history.Add(Event(3), T0.AddMinutes(6));

        Assert.Equal(1, history.CompactedThrough);
        Assert.Equal(2, history.Count);
        var expired = Assert.Throws<ExpiredRevisionException>(() => history.After(0, null).ToList());
        Assert.Equal(1, expired.OldestResumable);
        Assert.Equal([2L, 3L], history.After(1, null).Select(change => change.Revision));
    }

    [Fact]
    public void Add_IdleLongerThanRetention_KeepsEverythingUntilTheNextEvent()
    {
        var history = new EventHistory(capacity: 100, compactedThrough: 0, retention: TimeSpan.FromMinutes(5));
        history.Add(Event(1), T0);
        history.Add(Event(2), T0.AddMinutes(1));

        // Nothing is written for an hour: nothing is dropped, resuming from 0 still works.
        Assert.Equal([1L, 2L], history.After(0, null).Select(change => change.Revision));

        // The next write, an hour later, ages out both.
        history.Add(Event(3), T0.AddHours(1));
        Assert.Equal(2, history.CompactedThrough);
        Assert.Equal([3L], history.After(2, null).Select(change => change.Revision));
    }

    [Fact]
    public void Add_OverCapacity_OldestDroppedWhateverItsAge()
    {
        var history = new EventHistory(capacity: 2, compactedThrough: 0, retention: TimeSpan.MaxValue);
        foreach (var revision in new long[] { 1, 2, 3 })
        {
            history.Add(Event(revision), T0);
        }

        Assert.Equal(1, history.CompactedThrough);
        Assert.Equal([2L, 3L], history.After(1, null).Select(change => change.Revision));
    }

    private static WatchEvent Event(long revision)
    {
        var value = new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"cm-{revision}" } };
        return new WatchEvent(WatchEventType.Added, revision, new StoredObject("configmaps", "default", $"cm-{revision}", revision, value, []), null);
    }
}
