using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// The in-memory index of current objects plus the revision counter and the watch fan-out. Every write runs under one
/// lock, so revisions are strictly increasing and every watcher sees events in commit order; the durable log is
/// appended under the same lock and awaited after it is released.
/// </summary>
public sealed class ObjectStore : IAsyncDisposable
{
    private const int CommitsPerTurn = 64;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _resources = new(StringComparer.Ordinal);
    private readonly List<WatchSubscription> _subscriptions = [];
    private bool _watchesEnded;
    private readonly IObjectLog _log;
    private readonly EventHistory _history;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<IPendingWrite> _pendingWrites = new();
    private int _committing;
    private long _revision;

    /// <param name="log">Durable log (or in-memory).</param>
    /// <param name="historyCapacity">Most events watches can resume from.</param>
    /// <param name="time">Clock that ages the watch history (default: the system clock).</param>
    /// <param name="historyRetention">How long an event stays resumable (default: unbounded by time).</param>
    public ObjectStore(IObjectLog log, int historyCapacity, TimeProvider? time = null, TimeSpan? historyRetention = null)
    {
        _log = log;
        _time = time ?? TimeProvider.System;
        var (rows, revision) = log.Load();
        foreach (var row in rows)
        {
            var node = JsonNode.Parse(row.Json!)!.AsObject();
            Bucket(row.StorageId)[ObjectKey.Of(row.Namespace, row.Name)] =
                new StoredObject(row.StorageId, row.Namespace, row.Name, row.ResourceVersion, node, row.Json!);
        }

        _revision = revision;
        _history = new EventHistory(historyCapacity, revision, historyRetention ?? TimeSpan.MaxValue);
    }

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public StoredObject? Get(string storageId, string @namespace, string name)
    {
        lock (_gate)
        {
            return GetLocked(storageId, @namespace, name);
        }
    }

    /// <summary>A page of objects in key order after <paramref name="afterKey"/>, the revision it reflects and the next key (or null).</summary>
    public (List<StoredObject> Items, long Revision, string? NextKey) List(
        string storageId, string? @namespace, Func<StoredObject, bool>? predicate, string? afterKey = null, int limit = 0)
    {
        var items = new List<StoredObject>();
        lock (_gate)
        {
            if (!_resources.TryGetValue(storageId, out var bucket))
            {
                return (items, _revision, null);
            }

            foreach (var (key, stored) in bucket)
            {
                if ((afterKey is not null && string.CompareOrdinal(key, afterKey) <= 0) ||
                    (@namespace is not null && stored.Namespace != @namespace) ||
                    (predicate is not null && !predicate(stored)))
                {
                    continue;
                }

                if (limit > 0 && items.Count == limit)
                {
                    return (items, _revision, items[^1].Key);
                }

                items.Add(stored);
            }

            return (items, _revision, null);
        }
    }

    /// <summary>Every current object of every resource (for controllers that scan, such as garbage collection).</summary>
    public List<StoredObject> All()
    {
        lock (_gate)
        {
            return [.. _resources.Values.SelectMany(bucket => bucket.Values)];
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> atomically against the store and waits until its writes are durable. Writers do not
    /// queue on the lock: each enqueues its work, and whichever writer finds no one committing runs the queued
    /// transactions back to back under the lock (flat combining; a bounded run, then a thread-pool item goes on). On
    /// two cores, writers spinning for a contended lock cost more CPU than the writes themselves; here a waiting
    /// writer costs nothing until its commit is done.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<StoreTransaction, T> work)
    {
        var pending = new PendingWrite<T>(work);
        _pendingWrites.Enqueue(pending);
        CommitPending();
        var (result, durable) = await pending.Committed;
        await durable;
        return result;
    }

    /// <summary>Commits up to <see cref="CommitsPerTurn"/> queued writes in arrival order, unless another writer is committing.</summary>
    private void CommitPending()
    {
        if (_pendingWrites.IsEmpty || Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            lock (_gate)
            {
                for (var committed = 0; committed < CommitsPerTurn && _pendingWrites.TryDequeue(out var write); committed++)
                {
                    write.Commit(this);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _committing, 0);
        }

        // Writes queued during this turn (their writers found the committer taken) or beyond its bound: a thread-pool
        // item carries on, so no request thread commits for others indefinitely and none is left waiting.
        if (!_pendingWrites.IsEmpty)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static store => store.CommitPending(), this, preferLocal: false);
        }
    }

    /// <summary>Runs one transaction (under the lock) and hands its writes to the durable log in revision order.</summary>
    internal Task CommitLocked(Action<StoreTransaction> work)
    {
        var transaction = new StoreTransaction(this);
        var durable = Task.CompletedTask;
        try
        {
            work(transaction);
        }
        finally
        {
            // A transaction that failed part-way keeps what it already put (as before): that must be durable too.
            if (transaction.Writes.Count > 0)
            {
                durable = _log.AppendAsync(transaction.Writes, _revision);
            }
        }

        return durable;
    }

    /// <summary>
    /// Starts a feed for one resource (null: all). With <paramref name="fromRevision"/> it replays retained events after it
    /// (or throws <see cref="ExpiredRevisionException"/>); otherwise, if <paramref name="initialState"/>, it first sends
    /// every current object as ADDED. Returns the revision the feed starts at. <paramref name="accepts"/> narrows the live
    /// events further; it runs under the write lock, so it must be cheap and must not call back into the store.
    /// </summary>
    public (WatchSubscription Subscription, long Revision) Subscribe(
        string? storageId, long? fromRevision, bool initialState, Func<WatchEvent, bool>? accepts = null)
    {
        lock (_gate)
        {
            var replay = fromRevision is { } from ? _history.After(from, storageId).ToList() : [];
            var subscription = new WatchSubscription(storageId, Unsubscribe, accepts);
            if (fromRevision is null && initialState && storageId is not null && _resources.TryGetValue(storageId, out var bucket))
            {
                foreach (var stored in bucket.Values)
                {
                    subscription.Publish(new WatchEvent(WatchEventType.Added, stored.ResourceVersion, stored, null));
                }
            }

            replay.ForEach(subscription.Publish);
            _subscriptions.Add(subscription);
            if (_watchesEnded)
            {
                // Shutting down: a client that reconnected on a kept-alive connection gets an ended stream at once
                // instead of holding the server's graceful stop open until its own watch timeout.
                subscription.Dispose();
            }

            return (subscription, _revision);
        }
    }

    /// <summary>Queues a bookmark at the current revision behind every event already queued to the subscriber.</summary>
    public void Bookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Publish(new WatchEvent(WatchEventType.Bookmark, _revision, null, null));
        }
    }

    /// <summary>Completes every feed, so open watches end (used before the HTTP server stops).</summary>
    public void EndWatches()
    {
        lock (_gate)
        {
            _watchesEnded = true;
            foreach (var subscription in _subscriptions.ToList())
            {
                subscription.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        EndWatches();
        await _log.DisposeAsync();
    }

    internal StoredObject? GetLocked(string storageId, string @namespace, string name) =>
        _resources.TryGetValue(storageId, out var bucket) && bucket.TryGetValue(ObjectKey.Of(@namespace, name), out var stored) ? stored : null;

    internal StoredObject PutLocked(string storageId, string @namespace, string name, JsonObject value, List<LogWrite> writes)
    {
        var revision = ++_revision;
        var metadata = value["metadata"] as JsonObject ?? [];
        value["metadata"] = metadata;
        metadata["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonText.Encode(value);
        var stored = new StoredObject(storageId, @namespace, name, revision, value, json);
        var bucket = Bucket(storageId);
        bucket.TryGetValue(stored.Key, out var previous);
        bucket[stored.Key] = stored;
        writes.Add(new LogWrite(storageId, @namespace, name, revision, json));
        Publish(new WatchEvent(previous is null ? WatchEventType.Added : WatchEventType.Modified, revision, stored, previous));
        return stored;
    }

    internal StoredObject? DeleteLocked(string storageId, string @namespace, string name, List<LogWrite> writes)
    {
        var existing = GetLocked(storageId, @namespace, name);
        if (existing is null)
        {
            return null;
        }

        _resources[storageId].Remove(existing.Key);
        var revision = ++_revision;
        var value = existing.Value.DeepClone().AsObject();
        value["metadata"]!["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tombstone = existing with { ResourceVersion = revision, Value = value, Json = JsonText.Encode(value) };
        writes.Add(new LogWrite(storageId, @namespace, name, revision, null));
        Publish(new WatchEvent(WatchEventType.Deleted, revision, tombstone, existing));
        return tombstone;
    }

    private void Publish(WatchEvent change)
    {
        _history.Add(change, _time.GetUtcNow());
        foreach (var subscription in _subscriptions)
        {
            // Controllers see every resource but want few of its events: filtering here saves a thread-pool hop per write.
            if ((subscription.StorageId is null || subscription.StorageId == change.Current!.StorageId) &&
                (subscription.Accepts is null || subscription.Accepts(change)))
            {
                subscription.Publish(change);
            }
        }
    }

    private SortedDictionary<string, StoredObject> Bucket(string storageId)
    {
        if (!_resources.TryGetValue(storageId, out var bucket))
        {
            bucket = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _resources[storageId] = bucket;
        }

        return bucket;
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }
}
