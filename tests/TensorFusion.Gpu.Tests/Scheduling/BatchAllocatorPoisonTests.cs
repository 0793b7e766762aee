using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Scheduling;

public sealed class BatchAllocatorPoisonTests
{
    [Fact]
    public void Solve_AbsurdRequestBesideValidOne_OnlyTheAbsurdOneIsUnschedulable()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        // long.MaxValue milli-TFLOPs: 9.2 × 10^15 TFLOPs, 9.2 × 10^6 times the 10^9 milli-TFLOPs bound; × gpuCount would overflow.
        var absurd = TestFleet.Request("poison-0", 0, 1) with { Request = new GpuResources(long.MaxValue, 1), Limit = new GpuResources(long.MaxValue, 1) };
        var valid = TestFleet.Request("good-0", 5, 1);

        var decisions = allocator.Solve([absurd, valid], TestFleet.Now);

        var refused = Assert.Single(decisions, decision => decision.Request.Worker == "poison-0");
        Assert.Equal(DecisionKind.Unschedulable, refused.Kind);
        Assert.Contains("larger than any GPU could be", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Place, Assert.Single(decisions, decision => decision.Request.Worker == "good-0").Kind);
    }

    [Fact]
    public void Check_VramAboveOnePebibyte_NamesTheField()
    {
        // 2^50 bytes is the bound; one byte more is refused.
        Assert.Null(RequestBounds.Check(new GpuResources(1, RequestBounds.MaxVramBytes), "request"));
        Assert.Contains("request vram", RequestBounds.Check(new GpuResources(1, RequestBounds.MaxVramBytes + 1), "request"), StringComparison.Ordinal);
    }
}
