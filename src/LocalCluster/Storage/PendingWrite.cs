namespace TensorFusion.LocalCluster.Storage;

/// <summary>One queued transaction and the task its writer awaits: the result, and when its writes are durable.</summary>
internal sealed class PendingWrite<T>(Func<StoreTransaction, T> work) : IPendingWrite
{
    // Asynchronous continuations: the committer must not run other writers' request handling under the store lock.
    private readonly TaskCompletionSource<(T Result, Task Durable)> _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(T Result, Task Durable)> Committed => _committed.Task;

    public void Commit(ObjectStore store)
    {
        T result = default!;
        try
        {
            var durable = store.CommitLocked(transaction => result = work(transaction));
            _committed.SetResult((result, durable));
        }
#pragma warning disable CA1031 // The writer gets its own exception; the committer goes on with the next write.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _committed.SetException(e);
        }
    }
}
