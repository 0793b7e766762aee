using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>Capacity freed while a batch is being decided must reach every worker that batch parks.</summary>
public sealed class CapacityWakeupTests
{
    [Fact]
    public async Task WorkerGone_WhileBatchParksItsWorkers_EveryParkedWorkerRetried()
    {
        // One node, two H100s, both held (900 TFLOPs / 70 GiB each is a whole GPU). b-0 and b-1 want one each and are
        // parked; persisting one worker at a time, the first unschedulable report stalls. While it stalls both holders
        // go: the second b is then neither queued nor parked yet. Before the fix only the first was retried and the
        // other waited beside a free GPU until some later, unrelated capacity change.
        await using var harness = new PipelineHarness(persistParallelism: 1);
        await harness.StartAsync(PipelineHarness.Inventory(1, 2));
        await harness.SubmitAsync(WorkerPods.Pending("a-0", 900, "70Gi"), WorkerPods.Pending("a-1", 900, "70Gi"));
        Assert.All(await harness.FlushAsync(), outcome => Assert.Equal(DecisionKind.Place, outcome.Kind));

        var reportStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseReport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reports = 0;
        harness.Writer.ReportHook = async (_, ct) =>
        {
            if (Interlocked.Increment(ref reports) == 1)
            {
                reportStarted.SetResult();
                await releaseReport.Task.WaitAsync(ct);
            }
        };
        await harness.SubmitAsync(WorkerPods.Pending("b-0", 900, "70Gi"), WorkerPods.Pending("b-1", 900, "70Gi"));
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        await reportStarted.Task.WaitAsync(PipelineHarness.Wait);

        foreach (var holder in new[] { "a-0", "a-1" })
        {
            harness.Writer.Pods.TryRemove($"team/{holder}", out _);
            await harness.Pipeline.WorkerGoneAsync("team", holder, CancellationToken.None);
        }

        releaseReport.SetResult();
        var parked = await harness.NextBatchAsync();
        Assert.All(parked, outcome => Assert.Equal(DecisionKind.Unschedulable, outcome.Kind));

        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (placed.Count < 2)
        {
            foreach (var outcome in await harness.NextBatchAsync())
            {
                Assert.Equal(DecisionKind.Place, outcome.Kind);
                placed.Add(outcome.WorkerId);
            }
        }

        Assert.Equal(["team/b-0", "team/b-1"], placed.Order(StringComparer.Ordinal));
        Assert.Equal(0, harness.Pipeline.ParkedCount);
    }
}
