using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class InPlaceResizeTests
{
    private static async Task<PipelineHarness> TwoLlmWorkersAsync()
    {
        var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(2, 1));
        // Node-compact placement puts both 100-TFLOP workers on n0's GPU.
        await harness.SubmitAsync(WorkerPods.Pending("llm-0", 100, "10Gi"), WorkerPods.Pending("llm-1", 100, "10Gi"));
        await harness.FlushAsync();
        return harness;
    }

    [Fact]
    public async Task Resize_FitsEverywhere_AllWorkersResizedAnnotatedAndPlanned()
    {
        await using var harness = await TwoLlmWorkersAsync();

        var outcome = await harness.Pipeline.ResizeWorkloadAsync("team", "llm",
            GpuResources.FromTflops(50, ByteSize.FromGibibytes(5)), GpuResources.FromTflops(60, ByteSize.FromGibibytes(6)), CancellationToken.None);

        Assert.Equal(new(2, null), outcome);
        Assert.All(harness.Writer.Pods.Values, pod => Assert.Equal("50", pod.Metadata.Annotations[Annotations.TflopsRequest]));
        foreach (var node in harness.Pipeline.Read(state => state.Allocations.Values.Select(a => a.Node).Distinct().ToArray()))
        {
            await harness.ConvergedAsync(node);
            Assert.All(harness.AgentClient.Latest(node)!.Allocations, a => Assert.Equal(60, a.Devices[0].TflopsLimit));
        }
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Resize_DoesNotFitOnOneNode_RolledBackEverywhere()
    {
        await using var harness = await TwoLlmWorkersAsync();

        // 500 TFLOPs per worker: llm-0 grows first (500 + 100 fits in 989), then llm-1 cannot (500 + 500 > 989),
        // so llm-0 must be put back.
        var outcome = await harness.Pipeline.ResizeWorkloadAsync("team", "llm",
            GpuResources.FromTflops(500, ByteSize.FromGibibytes(10)), GpuResources.FromTflops(500, ByteSize.FromGibibytes(10)), CancellationToken.None);

        Assert.Equal(0, outcome.ResizedWorkers);
        Assert.StartsWith("worker team/llm-1 on node n0: ", outcome.Error, StringComparison.Ordinal);
        var requests = harness.Pipeline.Read(state => state.Allocations.Values
            .Where(a => a.Request.Workload == "llm").Select(a => a.Shares[0].Request.Tflops).ToArray());
        Assert.Equal([100d, 100d], requests);
        Assert.All(harness.Writer.Pods.Values.Where(p => p.Metadata.Name.StartsWith("llm", StringComparison.Ordinal)),
            pod => Assert.Equal("100", pod.Metadata.Annotations[Annotations.TflopsRequest]));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Resize_AnnotationWriteFails_EarlierWorkersRestored()
    {
        await using var harness = await TwoLlmWorkersAsync();
        harness.Writer.UpdateHook = worker => worker == "team/llm-1" ? WriteOutcome.Failed : null;

        var outcome = await harness.Pipeline.ResizeWorkloadAsync("team", "llm",
            GpuResources.FromTflops(50, ByteSize.FromGibibytes(5)), GpuResources.FromTflops(50, ByteSize.FromGibibytes(5)), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("100", harness.Writer.Pods["team/llm-0"].Metadata.Annotations[Annotations.TflopsRequest]);
        Assert.Equal(100d, harness.Pipeline.Read(state => state.Allocations["team/llm-0"].Shares[0].Request.Tflops));
    }
}
