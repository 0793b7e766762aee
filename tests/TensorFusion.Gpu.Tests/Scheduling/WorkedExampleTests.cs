using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Scheduling;

/// <summary>The worked example of docs/allocation.md, step by step.</summary>
public sealed class WorkedExampleTests
{
    [Fact]
    public void WorkedExample_FromDocs_HoldsStepByStep()
    {
        var allocator = new BatchAllocator(TestFleet.State(2, 2, PlacementStrategy.NodeCompactGpuLowLoad));

        var first = allocator.Solve([TestFleet.Request("chat-0", 100, 20), TestFleet.Whole("llm-0", gpus: 2, qos: QosLevel.High)], TestFleet.Now);

        Assert.Equal(["llm-0", "chat-0"], first.Select(decision => decision.Request.Worker));
        Assert.Equal(["n0-g0", "n0-g1"], first[0].Allocation!.Shares.Select(share => share.Gpu));
        Assert.Equal("n1-g0", first[1].Allocation!.Shares[0].Gpu);
        // VRAM 20/80 = 25 %, TFLOPs 100/989 = 10.1 %: round(0.7 × 25 + 0.3 × 10.1) = 21.
        Assert.Equal(21, allocator.State.FindGpu("n1-g0")!.UsedScore);

        var mig = allocator.Place(TestFleet.Request("mig-0", 100, 15) with { Isolation = IsolationMode.Partitioned }, TestFleet.Now);
        Assert.Equal("n1-g1", mig.Allocation!.Shares[0].Gpu);
        Assert.Equal(new MigPlacement("1g.20gb", 6), mig.Allocation.Shares[0].Partition);

        var low = allocator.Place(TestFleet.Whole("batch-0", qos: QosLevel.Low), TestFleet.Now);
        Assert.Equal("0/2 nodes fit: 2 insufficient VRAM", low.Reason);

        var critical = allocator.Place(TestFleet.Whole("urgent-0", qos: QosLevel.Critical), TestFleet.Now);
        Assert.Equal(DecisionKind.Preempt, critical.Kind);
        Assert.Equal("team/chat-0", Assert.Single(critical.Victims).WorkerId);
        Assert.Equal("n1-g0", critical.Allocation!.Shares[0].Gpu);
    }
}
