using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>Finding 2 of issue 14: one absurd request must never stop the allocator for everybody.</summary>
public sealed class AllocationPoisonTests
{
    [Theory]
    [InlineData("1e400")]
    [InlineData("99999999999Ei")]
    [InlineData("2000000")]
    public async Task Submit_AbsurdTflopsBesideValidWorker_AbsurdUnschedulableValidPlacedPipelineGoesOn(string tflops)
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        var poison = WorkerPods.Pending("poison-0", 1, "1Gi", extra: new() { [Annotations.TflopsRequest] = tflops, [Annotations.TflopsLimit] = tflops });

        await harness.SubmitAsync(poison, WorkerPods.Pending("good-0", 5, "1Gi"));
        var batch = await harness.FlushAsync();

        var refused = Assert.Single(batch, outcome => outcome.WorkerId == "team/poison-0");
        Assert.Equal(DecisionKind.Unschedulable, refused.Kind);
        Assert.Contains($"annotation {Annotations.TflopsRequest} '{tflops}'", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Place, Assert.Single(batch, outcome => outcome.WorkerId == "team/good-0").Kind);

        // The next batch is decided as usual: the pipeline did not fault.
        await harness.SubmitAsync(WorkerPods.Pending("later-0", 5, "1Gi"));
        Assert.Equal(DecisionKind.Place, Assert.Single(await harness.FlushAsync()).Kind);
        Assert.False(harness.Pipeline.Completion.IsCompleted);
    }

    [Fact]
    public async Task Persist_WriterThrowsUnclassifiedFault_BatchWorkersWaitAndNextBatchIsPlaced()
    {
        var writer = new FakeClusterWriter { BindHook = (key, _) => key == "team/boom-0" ? throw new InvalidOperationException("writer bug") : Task.FromResult<Pipelines.Allocation.WriteOutcome?>(null) };
        // One worker per batch (the size trigger, no clock): the failing batch holds boom-0 alone.
        await using var harness = new PipelineHarness(writer, maxBatch: 1);
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));

        await harness.SubmitAsync(WorkerPods.Pending("boom-0", 5, "1Gi"), WorkerPods.Pending("after-0", 5, "1Gi"));
        var next = await harness.NextBatchAsync();

        // The failed batch completed nothing; the one after it was decided normally. The failed worker keeps the
        // placement its batch made (its bind may have gone through), so its GPU share is never given twice.
        Assert.Equal("team/after-0", Assert.Single(next).WorkerId);
        Assert.Equal(DecisionKind.Place, next[0].Kind);
        Assert.False(harness.Pipeline.Completion.IsCompleted);
        Assert.True(harness.Pipeline.Read(state => state.Allocations.ContainsKey("team/boom-0")));
    }
}
