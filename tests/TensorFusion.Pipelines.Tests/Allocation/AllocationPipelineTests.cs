using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class AllocationPipelineTests
{
    [Fact]
    public async Task Submit_BatchWindowElapses_WorkersBoundAnnotatedAndPlanAcknowledged()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 2));
        await harness.SubmitAsync(WorkerPods.Pending("llm-0", 100, "10Gi"), WorkerPods.Pending("llm-1", 100, "10Gi"));

        var batch = await harness.FlushAsync();

        Assert.Equal(2, batch.Count);
        Assert.All(batch, outcome => Assert.Equal(DecisionKind.Place, outcome.Kind));
        var pod = harness.Writer.Pods["team/llm-0"];
        Assert.Equal("n0", pod.Spec.NodeName);
        Assert.StartsWith("n0-g", pod.Metadata.Annotations[Annotations.GpuIds], StringComparison.Ordinal);
        // 100 TFLOPs and 10 GiB = 10737418240 bytes per GPU, written back exactly.
        Assert.Equal("100", pod.Metadata.Annotations[Annotations.TflopsRequest]);
        Assert.Equal("10737418240", pod.Metadata.Annotations[Annotations.VramRequest]);
        var ack = await harness.ConvergedAsync("n0");
        Assert.True(ack.Converged);
        var plan = harness.AgentClient.Latest("n0")!;
        Assert.Equal(["llm-0", "llm-1"], plan.Allocations.Select(a => a.Worker));
        Assert.Equal(100, plan.Allocations[0].Devices[0].TflopsRequest);
    }

    [Fact]
    public async Task Submit_BatchSizeReached_DecidesWithoutTimer()
    {
        await using var harness = new PipelineHarness(maxBatch: 2);
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));

        await harness.SubmitAsync(WorkerPods.Pending("a-0", 10, "1Gi"), WorkerPods.Pending("b-0", 10, "1Gi"));
        var batch = await harness.NextBatchAsync();

        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public async Task Submit_WhileABatchIsDecided_WorkersGatherAndGoAsOneBatchWhenItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var binding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new FakeClusterWriter
        {
            BindHook = async (key, ct) =>
            {
                if (key == "team/a-0")
                {
                    binding.TrySetResult();
                    await release.Task.WaitAsync(ct);
                }

                return null;
            },
        };
        await using var harness = new PipelineHarness(writer);
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("a-0", 10, "1Gi"));
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        await binding.Task.WaitAsync(PipelineHarness.Wait);

        // While a-0's batch is being persisted, b-0 and c-0 arrive a batch window apart: no window flushes them apart.
        await harness.SubmitAsync(WorkerPods.Pending("b-0", 10, "1Gi"));
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        await harness.SubmitAsync(WorkerPods.Pending("c-0", 10, "1Gi"));
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        release.TrySetResult();

        var first = await harness.NextBatchAsync();
        var second = await harness.NextBatchAsync();

        Assert.Equal(["team/a-0"], first.Select(o => o.WorkerId));
        Assert.Equal(["team/b-0", "team/c-0"], second.Select(o => o.WorkerId).Order());
    }

    [Fact]
    public async Task StatusWrite_ApiServerUnreachable_WrittenAgainAfterRetryDelay()
    {
        var time = new TimerWatchingTimeProvider();
        await using var harness = new PipelineHarness(time: time);
        var refused = 0;
        var firstRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The REST writer answers Failed (no exception) when the API server cannot be reached.
        harness.Writer.StatusHook = report =>
        {
            if (report.Gpus.Any(g => g.RunningApps.Count > 0) && Interlocked.Increment(ref refused) == 1)
            {
                firstRefused.TrySetResult();
                return WriteOutcome.Failed;
            }

            return null;
        };
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        var retryTimer = time.NextTimerAsync(TimeSpan.FromSeconds(1)); // WriteRetryDelay
        await harness.SubmitAsync(WorkerPods.Pending("llm-0", 100, "10Gi"));
        await harness.FlushAsync();
        await firstRefused.Task.WaitAsync(PipelineHarness.Wait);
        await retryTimer.WaitAsync(PipelineHarness.Wait);
        var written = harness.Writer.WaitForStatusAsync(report => report.Gpus.Any(g => g.RunningApps.Count > 0));

        time.Advance(TimeSpan.FromSeconds(1));

        // 989 − 100 = 889 TFLOPs left, written once the retry delay has passed, though nothing else changed.
        var status = await written.WaitAsync(PipelineHarness.Wait);
        Assert.Equal(889.0, Assert.Single(status.Gpus).Available.Tflops);
        Assert.Equal(2, refused);
    }

    [Fact]
    public async Task Submit_GpuStatus_ReportsAvailableAndRunningApps()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("llm-0", 100, "10Gi"), WorkerPods.Pending("llm-1", 100, "10Gi"));

        await harness.FlushAsync();

        // Status is written in the background after the batch: wait for the report that shows the two workers.
        var status = await harness.Writer.WaitForStatusAsync(report => report.Gpus.Any(g => g.RunningApps.Count > 0)).WaitAsync(PipelineHarness.Wait);
        var gpu = Assert.Single(status.Gpus);
        // H100: 989 TFLOPs, 80 GiB; two workers take 200 TFLOPs and 20 GiB → 789 TFLOPs and 60 GiB left.
        Assert.Equal(GpuResources.FromTflops(789, ByteSize.FromGibibytes(60)), gpu.Available);
        var app = Assert.Single(gpu.RunningApps);
        Assert.Equal(("team", "llm", 2), (app.Namespace, app.Name, app.Workers));
        var pool = Assert.Single(status.Pools);
        Assert.Equal(1, pool.ReadyNodes);
        Assert.Equal(2, pool.Workers);
    }

    [Fact]
    public async Task Submit_HigherQosOnFullGpu_EvictsVictimBeforeBindingWinner()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("batch-0", 900, "70Gi", qos: "low"));
        await harness.FlushAsync();

        await harness.SubmitAsync(WorkerPods.Pending("serve-0", 500, "40Gi", qos: "high"));
        var batch = await harness.FlushAsync();

        var outcome = Assert.Single(batch);
        Assert.Equal(DecisionKind.Preempt, outcome.Kind);
        var log = harness.Writer.Log.ToArray();
        Assert.True(Array.IndexOf(log, "evict team/batch-0") < Array.IndexOf(log, "bind team/serve-0 n0"), string.Join(" | ", log));
        Assert.False(harness.Writer.Pods.ContainsKey("team/batch-0"));
        await harness.ConvergedAsync("n0");
        Assert.Equal(["serve-0"], harness.AgentClient.Latest("n0")!.Allocations.Select(a => a.Worker));
    }

    [Fact]
    public async Task Submit_VictimUnderEvictionProtection_WinnerWaits()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("batch-0", 900, "70Gi", qos: "low",
            extra: new() { [Annotations.EvictionProtection] = "30m" }));
        await harness.FlushAsync();

        await harness.SubmitAsync(WorkerPods.Pending("serve-0", 500, "40Gi", qos: "high"));
        var outcome = Assert.Single(await harness.FlushAsync());

        Assert.Equal(DecisionKind.Unschedulable, outcome.Kind);
        Assert.True(harness.Writer.Pods.ContainsKey("team/batch-0"));
    }

    [Fact]
    public async Task Unschedulable_CapacityAdded_RetriedAndPlaced()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("big-0", 900, "70Gi"), WorkerPods.Pending("big-1", 900, "70Gi"));
        var first = await harness.FlushAsync();
        Assert.Single(first, outcome => outcome.Kind == DecisionKind.Unschedulable);
        Assert.Equal(1, harness.Pipeline.ParkedCount);
        Assert.Single(harness.Writer.Unschedulable);

        // No timer retries it: only a capacity event does.
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, harness.Pipeline.ParkedCount);
        await harness.Pipeline.CapacityChangedAsync(PipelineHarness.Inventory(2, 1), CancellationToken.None);
        var retried = await harness.FlushAsync();

        var outcome = Assert.Single(retried);
        Assert.Equal(("n1", DecisionKind.Place), (outcome.Node, outcome.Kind));
        Assert.Equal(0, harness.Pipeline.ParkedCount);
    }

    [Fact]
    public async Task Submit_OverNamespaceQuota_UnschedulableWithQuotaReason()
    {
        await using var harness = new PipelineHarness();
        var quota = new GpuResourceQuota("team") { MaxWorkers = 1 };
        await harness.StartAsync(PipelineHarness.Inventory(1, 1, "n", quota));
        await harness.SubmitAsync(WorkerPods.Pending("a-0", 10, "1Gi"), WorkerPods.Pending("a-1", 10, "1Gi"));

        var batch = await harness.FlushAsync();

        var refused = Assert.Single(batch, outcome => outcome.Kind == DecisionKind.Unschedulable);
        Assert.Contains("total.maxWorkers is 1", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("GPUResourceQuota team", harness.Writer.Unschedulable[refused.WorkerId], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BadAnnotation_UnschedulableNamingTheAnnotation()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        var pod = WorkerPods.Pending("a-0", 10, "lots");

        await harness.SubmitAsync(pod);
        var outcome = Assert.Single(await harness.FlushAsync());

        Assert.Equal(DecisionKind.Unschedulable, outcome.Kind);
        Assert.Contains($"annotation {Annotations.VramRequest} 'lots'", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerGone_ReleasesGpuAndPlacesWaitingWorker()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("big-0", 900, "70Gi"), WorkerPods.Pending("big-1", 900, "70Gi"));
        var placed = Assert.Single(await harness.FlushAsync(), outcome => outcome.Kind == DecisionKind.Place);

        harness.Writer.Pods.TryRemove(placed.WorkerId, out _);
        var name = placed.WorkerId.Split('/')[1];
        await harness.Pipeline.WorkerGoneAsync("team", name, CancellationToken.None);
        var retried = Assert.Single(await harness.FlushAsync());

        Assert.Equal(DecisionKind.Place, retried.Kind);
        Assert.NotEqual(placed.WorkerId, retried.WorkerId);
        await harness.ConvergedAsync("n0");
        Assert.Equal([retried.WorkerId.Split('/')[1]], harness.AgentClient.Latest("n0")!.Allocations.Select(a => a.Worker));
    }

    [Fact]
    public async Task Submit_SameWorkerTwice_DecidedOnce()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        var pod = WorkerPods.Pending("a-0", 10, "1Gi");

        await harness.SubmitAsync(pod);
        await harness.Pipeline.OfferAsync(pod, CancellationToken.None);

        Assert.Single(await harness.FlushAsync());
    }
}
