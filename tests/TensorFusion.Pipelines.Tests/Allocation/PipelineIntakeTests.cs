using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>Offering pods by key: a replacement under a placed worker's name is a new worker, never the old one.</summary>
public sealed class PipelineIntakeTests
{
    [Fact]
    public async Task Offer_ReplacementUnderPlacedWorkersName_OldGpusFreedAndNewPodPlaced()
    {
        // One whole H100 (900 TFLOPs / 70 GiB). w-0 (uid u1) holds it; its delete and its replacement's add (uid u2)
        // were folded into one key, so the pipeline only ever sees the new pending pod.
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("w-0", 900, "70Gi").WithUid("u1"));
        Assert.Equal(DecisionKind.Place, Assert.Single(await harness.FlushAsync()).Kind);

        await harness.SubmitAsync(WorkerPods.Pending("w-0", 900, "70Gi").WithUid("u2"));
        var outcome = Assert.Single(await harness.FlushAsync());

        Assert.Equal((DecisionKind.Place, "n0"), (outcome.Kind, outcome.Node));
        Assert.Equal(1, harness.Pipeline.Read(state => state.Allocations.Count));
    }

    [Fact]
    public async Task Offer_SamePodOfPlacedWorkerAgain_NothingDecided()
    {
        // The cache may still hold the pre-bind version when another change of the pod arrives: same UID, same worker.
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 2));
        await harness.SubmitAsync(WorkerPods.Pending("w-0", 900, "70Gi").WithUid("u1"));
        Assert.Single(await harness.FlushAsync());

        await harness.Pipeline.OfferAsync(WorkerPods.Pending("w-0", 900, "70Gi").WithUid("u1"), CancellationToken.None);
        await harness.SubmitAsync(WorkerPods.Pending("w-1", 900, "70Gi"));
        var next = Assert.Single(await harness.FlushAsync());

        // Only w-1 was decided; w-0 keeps its one GPU.
        Assert.Equal("team/w-1", next.WorkerId);
        Assert.Equal(2, harness.Pipeline.Read(state => state.Allocations.Count));
    }
}
