using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

[Trait("Category", "Fault")]
public sealed class AllocationRestartTests
{
    [Fact]
    public async Task Restart_MidBatch_NothingDoubleAllocatedNothingLost()
    {
        var writer = new FakeClusterWriter();
        var stall = new TaskCompletionSource();
        var fourthBind = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var binds = 0;
        // The operator "dies" after its third bind: the rest of the batch never reaches the API server.
        writer.BindHook = async (_, ct) =>
        {
            if (Interlocked.Increment(ref binds) > 3)
            {
                fourthBind.TrySetResult();
                await stall.Task.WaitAsync(ct);
            }

            return null;
        };
        var inventory = PipelineHarness.Inventory(2, 1);
        var first = new PipelineHarness(writer);
        await first.StartAsync(inventory);
        await first.SubmitAsync([.. Enumerable.Range(0, 8).Select(i => WorkerPods.Pending($"w-{i}", 200, "16Gi"))]);
        first.Time.Advance(TimeSpan.FromMilliseconds(50));
        await fourthBind.Task.WaitAsync(PipelineHarness.Wait);

        await first.DisposeAsync();
        writer.BindHook = null;
        var boundBefore = writer.Pods.Values.Count(pod => pod.Spec.NodeName is not null);

        await using var second = new PipelineHarness(writer);
        var report = await second.StartAsync(inventory);
        var batch = await second.FlushAsync();

        Assert.Equal(3, boundBefore);
        Assert.Equal((3, 5), (report.Restored, report.Pending));
        Assert.Empty(report.Conflicts);
        Assert.Equal(5, batch.Count(outcome => outcome.Kind == DecisionKind.Place));
        // 8 workers of 200 TFLOPs / 16 GiB on 2 H100s (989 TFLOPs, 80 GiB): 4 per GPU fit, every GPU id used at most 4 times.
        var perGpu = writer.Pods.Values.GroupBy(pod => pod.Metadata.Annotations[Annotations.GpuIds]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, perGpu.Values.Sum());
        Assert.All(perGpu.Values, count => Assert.InRange(count, 1, 4));
    }

    [Fact]
    public async Task Rebuild_PodsOverGpuCapacity_ConflictReported()
    {
        var writer = new FakeClusterWriter();
        foreach (var name in new[] { "a-0", "b-0" })
        {
            var pod = writer.Add(WorkerPods.Pending(name, 600, "50Gi"));
            pod.Spec.NodeName = "n0";
            pod.Metadata.Annotations[Annotations.GpuIds] = "n0-g0";
        }

        await using var harness = new PipelineHarness(writer);
        var conflicts = new List<string>();
        harness.Pipeline.ConflictFound += conflicts.Add;
        var report = await harness.StartAsync(PipelineHarness.Inventory(1, 1));

        // 2 × 600 TFLOPs on one 989-TFLOPs GPU cannot both be true: reported, not hidden.
        var conflict = Assert.Single(report.Conflicts);
        Assert.Contains("GPU n0-g0", conflict, StringComparison.Ordinal);
        Assert.Equal(conflicts, report.Conflicts);
    }

    [Fact]
    public async Task Rebuild_AllocationWhosePodIsGone_DroppedFromAgentPlan()
    {
        var writer = new FakeClusterWriter();
        var harness = new PipelineHarness(writer);
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("a-0", 10, "1Gi"), WorkerPods.Pending("b-0", 10, "1Gi"));
        await harness.FlushAsync();
        await harness.ConvergedAsync("n0");
        await harness.DisposeAsync();
        writer.Pods.TryRemove("team/a-0", out _);

        await using var restarted = new PipelineHarness(writer, harness.AgentClient);
        var report = await restarted.StartAsync(PipelineHarness.Inventory(1, 1));
        await restarted.ConvergedAsync("n0");

        Assert.Equal(1, report.Restored);
        Assert.Equal(["b-0"], harness.AgentClient.Latest("n0")!.Allocations.Select(a => a.Worker));
    }

    [Fact]
    public async Task AgentDown_DuringPush_PlanConvergesWhenBack()
    {
        await using var harness = new PipelineHarness();
        harness.AgentClient.Down["n0"] = true;
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("a-0", 10, "1Gi"));
        await harness.FlushAsync();
        Assert.False(harness.Dispatcher.AckOf("n0")!.Converged);

        harness.AgentClient.Down["n0"] = false;
        var converged = harness.ConvergedAsync("n0");
        // Backoff waits run on the fake clock: advancing it lets the retries through.
        for (var i = 0; i < 2000 && !converged.IsCompleted; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(converged, Task.Delay(10));
        }

        var ack = await converged;
        Assert.True(ack.Converged);
        Assert.Equal(["a-0"], harness.AgentClient.Latest("n0")!.Allocations.Select(a => a.Worker));
    }
}
