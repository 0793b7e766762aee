using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Pipelines.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Add_SameKeyManyTimes_QueuedOnce()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());

        for (var i = 0; i < 10_000; i++)
        {
            queue.Add("a");
        }

        queue.Add("b");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", (await queue.TakeAsync(CancellationToken.None)).Key);
        Assert.Equal("b", (await queue.TakeAsync(CancellationToken.None)).Key);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_NotHandedOutUntilDone()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var (_, key) = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        queue.Add("a");
        var second = queue.TakeAsync(CancellationToken.None).AsTask();

        Assert.Equal(0, queue.Depth);
        Assert.False(second.IsCompleted);
        queue.Done(key);
        Assert.Equal("a", (await second.WaitAsync(Wait)).Key);
        Assert.Equal(1, queue.InFlight);
    }

    [Fact]
    public async Task AddAfter_BeforeDue_NotQueued()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, queue.Depth);

        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, queue.Depth);
        Assert.Equal("a", (await queue.TakeAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public void AddAfter_EarlierDueTime_Wins()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(7));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, queue.Depth);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public void AddRateLimited_RepeatedFailures_BackOffExponentially()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        // First retry after 5 ms, second after 10 ms.
        queue.AddRateLimited("a");
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Depth);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Depth);

        Assert.Equal(1, queue.NumRequeues("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ShutDownWithDrain_InFlightKey_CompletesOnlyAfterDone()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var (_, key) = await queue.TakeAsync(CancellationToken.None);

        var drained = queue.ShutDownWithDrainAsync();
        queue.Add("b");

        Assert.False(drained.IsCompleted);
        queue.Done(key);
        await drained.WaitAsync(Wait);
        var (taken, _) = await queue.TakeAsync(CancellationToken.None);
        Assert.False(taken);
    }

    [Fact]
    public async Task TakeAsync_Cancelled_Throws()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var take = queue.TakeAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take);
    }

    [Fact]
    public void ShutDown_PendingDelayedAdd_Dropped()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(1));

        queue.ShutDown();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, queue.Depth);
    }
}
