using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Scheduling;

public sealed class GangPlacementTests
{
    [Fact]
    public void Solve_TwoSixMemberGangsOnEightGpus_OneRunsTheOtherHoldsNothing()
    {
        // 8 whole GPUs; each gang needs 6: both cannot run, and a per-member scheduler could leave 4 + 4 placed (deadlock).
        var batch = Gang("alpha", 6, required: 6).Concat(Gang("beta", 6, required: 6));

        var decisions = new BatchAllocator(TestFleet.State(2, 4)).Solve(batch, TestFleet.Now);

        var placedByGang = decisions.Where(decision => decision.Kind == DecisionKind.Place)
            .GroupBy(decision => decision.Request.Workload).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(6, placedByGang["alpha"]);
        Assert.False(placedByGang.ContainsKey("beta"));
        Assert.All(decisions.Where(decision => decision.Request.Workload == "beta"),
            decision => Assert.StartsWith("gang team/beta: only 2 of 6 required members fit together", decision.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_QuorumUnreachable_NothingPlacedAndStateUntouched()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 2));

        var decisions = allocator.Solve(Gang("g", 3, required: 3), TestFleet.Now);

        Assert.All(decisions, decision => Assert.Equal(DecisionKind.Unschedulable, decision.Kind));
        Assert.Empty(allocator.State.Allocations);
        Assert.All(allocator.State.Gpus, gpu => Assert.True(gpu.IsIdle, $"{gpu.Name} still holds {string.Join(", ", gpu.Workers)}"));
    }

    [Fact]
    public void Solve_FewerMembersPendingThanTheQuorum_WaitsWithoutPlacing()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 8));

        var decisions = allocator.Solve(Gang("g", 2, required: 4), TestFleet.Now);

        Assert.All(decisions, decision => Assert.Equal("gang team/g waits for members: 2 of 4 required are pending or placed", decision.Reason));
        Assert.Empty(allocator.State.Allocations);
    }

    [Fact]
    public void Solve_MembersArriveInTwoBatches_SecondBatchCompletesTheQuorum()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 8));
        var members = Gang("g", 4, required: 4).ToArray();

        var first = allocator.Solve(members[..2], TestFleet.Now);
        var second = allocator.Solve(members, TestFleet.Now);

        Assert.All(first, decision => Assert.Equal(DecisionKind.Unschedulable, decision.Kind));
        Assert.All(second, decision => Assert.Equal(DecisionKind.Place, decision.Kind));
        Assert.Equal(4, allocator.State.Allocations.Count);
    }

    [Fact]
    public void Solve_QuorumMetWithRoomForSomeExtras_PlacesQuorumAndMoreAfterwardsAlone()
    {
        // Required 4 of 6 desired, 5 GPUs: 5 placed together; the 6th waits alone and is placed when a GPU frees.
        var allocator = new BatchAllocator(TestFleet.State(1, 5));
        var members = Gang("g", 6, required: 4).ToArray();

        var decisions = allocator.Solve(members, TestFleet.Now);
        allocator.Release(decisions.First(decision => decision.Kind == DecisionKind.Place).Request.WorkerId);
        var late = allocator.Solve([decisions.Single(decision => decision.Kind == DecisionKind.Unschedulable).Request], TestFleet.Now);

        Assert.Equal(5, decisions.Count(decision => decision.Kind == DecisionKind.Place));
        Assert.Equal(DecisionKind.Place, Assert.Single(late).Kind);
    }

    [Fact]
    public void Solve_HigherQosGangThatFitsOnlyPartlyEvenWithPreemption_EvictsNobody()
    {
        // 4 GPUs: 2 low workers and 2 critical workers. A high gang of 3 could evict the 2 low ones but not the critical.
        var allocator = new BatchAllocator(TestFleet.State(1, 4));
        allocator.Solve([TestFleet.Whole("low-0", qos: QosLevel.Low), TestFleet.Whole("low-1", qos: QosLevel.Low),
            TestFleet.Whole("crit-0", qos: QosLevel.Critical), TestFleet.Whole("crit-1", qos: QosLevel.Critical)], TestFleet.Now);

        var decisions = allocator.Solve(Gang("g", 3, required: 3, qos: QosLevel.High), TestFleet.Now);

        Assert.All(decisions, decision => Assert.Equal(DecisionKind.Unschedulable, decision.Kind));
        Assert.True(allocator.State.Allocations.ContainsKey("team/low-0"));
        Assert.True(allocator.State.Allocations.ContainsKey("team/low-1"));
        Assert.Equal(4, allocator.State.Allocations.Count);
    }

    [Fact]
    public void Solve_HigherQosGangThatFitsWithPreemption_EvictsForTheWholeGang()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 4));
        allocator.Solve([TestFleet.Whole("low-0", qos: QosLevel.Low), TestFleet.Whole("low-1", qos: QosLevel.Low)], TestFleet.Now);

        var decisions = allocator.Solve(Gang("g", 4, required: 4, qos: QosLevel.High), TestFleet.Now);

        Assert.Equal(4, decisions.Count(decision => decision.Request.Workload == "g" && decision.Kind != DecisionKind.Unschedulable));
        Assert.Equal(2, decisions.SelectMany(decision => decision.Victims).Count());
        Assert.False(allocator.State.Allocations.ContainsKey("team/low-0"));
    }

    [Fact]
    public void Place_PlacedGangMember_IsNeverAPreemptionVictim()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 2));
        allocator.Solve(Gang("g", 2, required: 2, qos: QosLevel.Low), TestFleet.Now);

        var decision = allocator.Place(TestFleet.Whole("high-0", qos: QosLevel.High), TestFleet.Now);

        Assert.Equal(DecisionKind.Unschedulable, decision.Kind);
        Assert.Equal(2, allocator.State.Allocations.Count);
    }

    [Fact]
    public void Solve_QuotaAllowsPartOfTheGang_NothingPlacedAndUsageUnchanged()
    {
        var quotas = new QuotaLedger([new GpuResourceQuota("team") { MaxWorkers = 3 }]);
        var allocator = new BatchAllocator(TestFleet.State(1, 8), quotas);

        var decisions = allocator.Solve(Gang("g", 4, required: 4), TestFleet.Now);

        Assert.All(decisions, decision => Assert.Equal(DecisionKind.Unschedulable, decision.Kind));
        Assert.Contains("GPUResourceQuota team", decisions[0].Reason, StringComparison.Ordinal);
        Assert.Equal(0, allocator.Quotas.UsageOf("team").Workers);
    }

    [Fact]
    public void Solve_RequestedAgainAfterPlacement_KeepsTheMembersGpus()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 2));
        var members = Gang("g", 2, required: 2).ToArray();
        allocator.Solve(members, TestFleet.Now);

        var again = allocator.Solve(members, TestFleet.Now);

        Assert.All(again, decision => Assert.Equal(DecisionKind.Place, decision.Kind));
        Assert.Equal(2, allocator.State.Allocations.Count);
    }

    internal static IEnumerable<AllocationRequest> Gang(string workload, int members, int required, QosLevel qos = QosLevel.Medium) =>
        Enumerable.Range(0, members).Select(i => TestFleet.Whole($"{workload}-{i}", qos: qos) with
        {
            Workload = workload,
            Gang = new GangMembership($"team/{workload}", required),
        });
}
