using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Pipelines.Tests.Controllers;

public sealed class ReconcileLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Reconcile_Throws_RetriedWithBackoffAndLoopSurvives()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var reconciler = new ScriptedReconciler((_, call) => call < 3 ? throw new InvalidOperationException("boom") : Task.FromResult(ReconcileResult.Done));
        var metrics = new RecordingReconcileMetrics();
        var logger = new CapturingLogger();
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions { Logger = logger }, time, metrics);
        var run = loop.RunAsync(stop.Token);

        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await WaitUntilIdleAsync(queue);

        // Failure 1 → retry after 5 ms; failure 2 → after 10 ms; the third call succeeds.
        time.Advance(TimeSpan.FromMilliseconds(5));
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await WaitUntilIdleAsync(queue);
        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(2, reconciler.Calls("a"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
        Assert.Equal(3, reconciler.Calls("a"));
        Assert.Equal([ReconcileOutcome.Error, ReconcileOutcome.Error, ReconcileOutcome.Success], metrics.Outcomes);
        Assert.Equal(0, queue.NumRequeues("a"));
        // Each failure is logged with the key, the attempt and the exception: a stuck key is never silent.
        Assert.Equal(
            ["reconcile of a failed (attempt 1); retrying with backoff", "reconcile of a failed (attempt 2); retrying with backoff"],
            logger.Lines.Select(line => line.Message));
        Assert.All(logger.Lines, line => Assert.Equal("boom", line.Exception?.Message));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Add_TenThousandTimesWhileProcessing_ReconciledTwiceNeverConcurrently()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var gate = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler((_, call) => call == 1 ? gate.Task : Task.FromResult(ReconcileResult.Done));
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions { MaxConcurrentReconciles = 8 }, time);
        var run = loop.RunAsync(stop.Token);

        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        for (var i = 0; i < 10_000; i++)
        {
            queue.Add("a");
        }

        gate.SetResult(ReconcileResult.Done);
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await WaitUntilIdleAsync(queue);
        await stop.CancelAsync();
        await run.WaitAsync(Wait);

        // Once for the first add, once for all 10 000 adds that arrived while it ran.
        Assert.Equal(2, reconciler.Calls("a"));
        Assert.Equal(1, reconciler.MaxConcurrentSameKey);
    }

    [Fact]
    public async Task Reconcile_RequeueAfter_RunsAgainOnlyWhenDue()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var reconciler = new ScriptedReconciler((_, call) => Task.FromResult(call == 1 ? ReconcileResult.After(TimeSpan.FromSeconds(30)) : ReconcileResult.Done));
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions(), time);
        var run = loop.RunAsync(stop.Token);

        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await WaitUntilIdleAsync(queue);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, reconciler.Calls("a"));
        time.Advance(TimeSpan.FromSeconds(1));
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
        Assert.Equal(2, reconciler.Calls("a"));
    }

    [Fact]
    public async Task Reconcile_Terminal_NotRequeued()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var reconciler = new ScriptedReconciler((_, _) => throw new TerminalReconcileException("spec can never work"));
        var metrics = new RecordingReconcileMetrics();
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions(), time, metrics);
        var run = loop.RunAsync(stop.Token);

        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await WaitUntilIdleAsync(queue);
        time.Advance(TimeSpan.FromSeconds(2000));
        await stop.CancelAsync();
        await run.WaitAsync(Wait);

        Assert.Equal(1, reconciler.Calls("a"));
        Assert.Equal([ReconcileOutcome.Terminal], metrics.Outcomes);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Stop_DuringReconcile_DrainsInFlightWork()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var gate = new TaskCompletionSource<ReconcileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler((_, _) => gate.Task);
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions(), time);
        var run = loop.RunAsync(stop.Token);
        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        await stop.CancelAsync();
        Assert.False(run.IsCompleted);
        gate.SetResult(ReconcileResult.Done);
        await run.WaitAsync(Wait);

        Assert.Equal(0, queue.InFlight);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Reconcile_AlwaysFails_DelaysDoubleFrom5Ms()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var reconciler = new ScriptedReconciler((_, _) => throw new InvalidOperationException("always"));
        using var stop = new CancellationTokenSource();
        using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions(), time);
        var run = loop.RunAsync(stop.Token);
        queue.Add("a");
        await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        // Retry n waits 5 ms · 2^(n-1): 5, 10, 20, 40, 80 ms; one tick short of each, nothing runs.
        foreach (var delayMs in new[] { 5, 10, 20, 40, 80 })
        {
            await WaitUntilIdleAsync(queue);
            var before = reconciler.Calls("a");
            time.Advance(TimeSpan.FromMilliseconds(delayMs - 1));
            Assert.Equal(before, reconciler.Calls("a"));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await reconciler.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        }

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
        Assert.Equal(6, reconciler.Calls("a"));
        Assert.Equal(1, reconciler.MaxConcurrentSameKey);
    }

    /// <summary>Waits (bounded) until the loop has handed every key back; reconciles here finish without I/O.</summary>
    private static async Task WaitUntilIdleAsync(WorkQueue<string> queue)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (queue.InFlight > 0 || queue.Depth > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reconcile loop did not become idle in 10 s");
            await Task.Yield();
        }
    }
}
