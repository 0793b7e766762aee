using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Tests.Storage;

/// <summary>
/// The store's writers hand their transactions to whichever writer is committing (flat combining) instead of
/// queueing on the lock. These hold it to what the lock gave: every write commits once, revisions are a gapless
/// sequence in the order watchers see them, and one failing transaction fails only its own writer.
/// </summary>
public sealed class ObjectStoreWriteTests
{
    private const string ConfigMaps = "configmaps";

    [Fact]
    public async Task WriteAsync_ManyConcurrentWriters_EachCommittedOnceInOneGaplessRevisionOrder()
    {
        await using var store = new ObjectStore(new InMemoryObjectLog(), historyCapacity: 1000);
        var (feed, _) = store.Subscribe(ConfigMaps, fromRevision: null, initialState: false);
        using var subscription = feed;

        // 8 threads × 50 writes each; the transactions run on whichever writer is committing.
        var revisions = await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                var name = $"cm-{thread}-{i}";
                var stored = await store.WriteAsync(transaction => transaction.Put(ConfigMaps, "default", name, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }));
                mine.Add(stored.ResourceVersion);
            }

            return mine;
        })));

        var all = revisions.SelectMany(r => r).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 400).Select(r => (long)r), all);
        Assert.All(revisions, mine => Assert.Equal(mine.Order(), mine));
        Assert.Equal(400, store.List(ConfigMaps, null, null).Items.Count);
        var seen = new List<long>();
        while (feed.Events.TryRead(out var change))
        {
            seen.Add(change.Revision);
        }

        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task WriteAsync_MoreQueuedThanOneTurnWhileCommitting_EveryWriteCompletes()
    {
        await using var store = new ObjectStore(new InMemoryObjectLog(), historyCapacity: 1000);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // The first writer's transaction holds the committer until released, so the next 200 writers only enqueue.
        var first = Task.Run(() => store.WriteAsync(transaction =>
        {
            inside.Set();
            Assert.True(release.Wait(TimeSpan.FromSeconds(30)), "released");
            return transaction.Put(ConfigMaps, "default", "first", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "first" } });
        }));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "the first transaction is committing");
        var queued = Enumerable.Range(0, 200).Select(i => store.WriteAsync(transaction =>
            transaction.Put(ConfigMaps, "default", $"queued-{i}", new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"queued-{i}" } }))).ToList();
        Assert.All(queued, write => Assert.False(write.IsCompleted));
        release.Set();

        // 201 writes, more than three turns of 64: the first writer commits one turn, thread-pool turns do the rest.
        var stored = await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(1, 201).Select(r => (long)r), stored.Select(s => s.ResourceVersion).Order());
        Assert.Equal(Enumerable.Range(2, 200).Select(r => (long)r), queued.Select(write => write.Result.ResourceVersion));
    }

    [Fact]
    public async Task WriteAsync_TransactionThrows_OnlyThatWriterFailsAndLaterWritesCommit()
    {
        await using var store = new ObjectStore(new InMemoryObjectLog(), historyCapacity: 100);

        var failing = store.WriteAsync<StoredObject>(_ => throw new InvalidOperationException("conflict on purpose"));
        var after = await store.WriteAsync(transaction => transaction.Put(ConfigMaps, "default", "after", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "after" } }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("conflict on purpose", error.Message);
        Assert.Equal(1, after.ResourceVersion);
        Assert.Equal(1, store.Revision);
    }
}
