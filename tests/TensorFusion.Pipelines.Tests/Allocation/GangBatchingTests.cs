using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class GangBatchingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MarkTimedOut_UnschedulableMemberPastTheTimeout_ReasonStartsWithTimedOut()
    {
        // Timeout 5 min; the gang's earliest member has waited 5 min 1 s.
        var decision = AllocationDecision.Unschedulable(Member(TimeSpan.FromMinutes(5)), "gang team/g: only 1 of 2 required members fit together");

        var marked = GangBatching.MarkTimedOut(decision, Start, Start.AddMinutes(5).AddSeconds(1));

        Assert.Equal("TimedOut: gang team/g waited longer than its timeout 00:05:00: gang team/g: only 1 of 2 required members fit together", marked.Reason);
    }

    [Fact]
    public void MarkTimedOut_WithinTimeoutOrNoTimeoutOrPlaced_Unchanged()
    {
        var waiting = AllocationDecision.Unschedulable(Member(TimeSpan.FromMinutes(5)), "waits");
        var forever = AllocationDecision.Unschedulable(Member(null), "waits");

        Assert.Same(waiting, GangBatching.MarkTimedOut(waiting, Start, Start.AddMinutes(4)));
        Assert.Same(forever, GangBatching.MarkTimedOut(forever, Start, Start.AddDays(1)));
    }

    private static AllocationRequest Member(TimeSpan? timeout) => new()
    {
        Namespace = "team",
        Workload = "g",
        Worker = "g-0",
        Pool = "pool",
        Request = GpuResources.FromTflops(10, ByteSize.FromGibibytes(1)),
        Gang = new GangMembership("team/g", 2, timeout),
    };
}
