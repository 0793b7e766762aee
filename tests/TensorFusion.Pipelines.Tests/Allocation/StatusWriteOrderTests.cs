using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>GPU, node and pool status written after an inventory change and after a batch lands in the order it was built.</summary>
public sealed class StatusWriteOrderTests
{
    [Fact]
    public async Task InventoryChange_ItsStatusWriteStallsWhileABatchPlaces_NewestReportLandsLast()
    {
        // One H100. An inventory change writes the full report (no worker yet: 989 TFLOPs free) and that write stalls;
        // meanwhile a batch places llm-0 (100 TFLOPs): 989 − 100 = 889 free. Before the fix the inventory change wrote
        // inline beside the status loop, so the older report could land after the newer one and stay there: status
        // said the GPU was idle, and nothing rewrote it until something else on the node changed (failed 3 runs of 3).
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = 0;
        harness.Writer.StatusStall = async (_, ct) =>
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                stalled.SetResult();
                await release.Task.WaitAsync(ct);
            }
        };
        var change = harness.Pipeline.CapacityChangedAsync(PipelineHarness.Inventory(1, 1), CancellationToken.None);
        await stalled.Task.WaitAsync(PipelineHarness.Wait);

        await harness.SubmitAsync(WorkerPods.Pending("llm-0", 100, "10Gi"));
        Assert.Equal(DecisionKind.Place, Assert.Single(await harness.FlushAsync()).Kind);
        release.SetResult();
        await change.WaitAsync(PipelineHarness.Wait);

        var newest = await harness.Writer.WaitForStatusAsync(report => report.Gpus.Single().RunningApps.Count == 1).WaitAsync(PipelineHarness.Wait);
        Assert.Equal(889.0, newest.Gpus.Single().Available.Tflops);
        Assert.Same(newest, harness.Writer.LastStatus);
    }

    [Fact]
    public async Task InventoryChange_WhileAStatusWriteStalls_InTheAllocatorAtOnce()
    {
        // Two H100s; every status write stalls (a slow API server). g1 then falls sick (no longer Running): the change
        // must reach the allocator's state without waiting for any status write, or a worker created meanwhile could be
        // placed on the sick GPU. Before the fix the change wrote status inline and waited for it.
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 2));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Writer.StatusStall = (_, ct) => release.Task.WaitAsync(ct);
        var healthy = PipelineHarness.Inventory(1, 2);
        var sick = healthy with { Nodes = [.. healthy.Nodes.Select(node => node with { Gpus = [.. node.Gpus.Select(gpu => gpu.Name == "n0-g1" ? gpu with { Running = false } : gpu)] })] };

        await harness.Pipeline.CapacityChangedAsync(sick, CancellationToken.None).WaitAsync(PipelineHarness.Wait);

        Assert.False(harness.Pipeline.Read(state => state.FindGpu("n0-g1")!.Running));
        Assert.True(harness.Pipeline.Read(state => state.FindGpu("n0-g0")!.Running));
        release.SetResult();
    }
}
