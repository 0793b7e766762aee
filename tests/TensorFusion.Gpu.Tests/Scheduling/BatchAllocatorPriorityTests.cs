using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Scheduling;

public sealed class BatchAllocatorPriorityTests
{
    [Fact]
    public void Solve_Batch_PlacesHigherQosFirstWhateverTheInputOrder()
    {
        var batch = new[]
        {
            TestFleet.Request("low-0", 10, 60, QosLevel.Low),
            TestFleet.Request("crit-0", 10, 60, QosLevel.Critical),
        };

        var decisions = new BatchAllocator(TestFleet.State(1, 1)).Solve(batch, TestFleet.Now);

        Assert.Equal(["crit-0", "low-0"], decisions.Select(decision => decision.Request.Worker));
        Assert.Equal([DecisionKind.Place, DecisionKind.Unschedulable], decisions.Select(decision => decision.Kind));
    }

    [Fact]
    public void Solve_WithinQos_LargerRequestsFirst()
    {
        var batch = new[] { TestFleet.Request("small-0", 10, 10), TestFleet.Request("big-0", 10, 40), TestFleet.Whole("multi-0", gpus: 2) };

        var decisions = new BatchAllocator(TestFleet.State(1, 4)).Solve(batch, TestFleet.Now);

        Assert.Equal(["multi-0", "big-0", "small-0"], decisions.Select(decision => decision.Request.Worker));
    }

    [Fact]
    public void Place_HigherQosDoesNotFit_PreemptsLowerAndReportsTheVictim()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        allocator.Place(TestFleet.Request("low-0", 10, 60, QosLevel.Low), TestFleet.Now);

        var decisions = allocator.Solve([TestFleet.Request("high-0", 10, 60, QosLevel.High)], TestFleet.Now);

        Assert.Equal(DecisionKind.Preempt, decisions[0].Kind);
        Assert.Equal("team/low-0", Assert.Single(decisions[0].Victims).WorkerId);
        Assert.Equal(DecisionKind.Unschedulable, decisions[1].Kind);
        Assert.Equal("preempted by team/high-0 and not placed again: 0/1 nodes fit: 1 insufficient VRAM", decisions[1].Reason);
        Assert.False(allocator.State.Allocations.ContainsKey("team/low-0"));
    }

    [Fact]
    public void Place_EqualQos_NeverPreempts()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        allocator.Place(TestFleet.Request("a-0", 10, 60, QosLevel.High), TestFleet.Now);

        var decision = allocator.Place(TestFleet.Request("b-0", 10, 60, QosLevel.High), TestFleet.Now);

        Assert.Equal(DecisionKind.Unschedulable, decision.Kind);
        Assert.Empty(decision.Victims);
        Assert.True(allocator.State.Allocations.ContainsKey("team/a-0"));
    }

    [Fact]
    public void Place_VictimInsideEvictionProtection_IsSparedUntilItEnds()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        var protectedLow = TestFleet.Request("low-0", 10, 60, QosLevel.Low) with { EvictionProtection = TimeSpan.FromHours(1) };
        allocator.Place(protectedLow, TestFleet.Now);
        var high = TestFleet.Request("high-0", 10, 60, QosLevel.High);

        var during = allocator.Place(high, TestFleet.Now.AddMinutes(30));
        var after = allocator.Place(high, TestFleet.Now.AddHours(2));

        Assert.Equal(DecisionKind.Unschedulable, during.Kind);
        Assert.Equal(DecisionKind.Preempt, after.Kind);
    }

    [Fact]
    public void Place_SeveralCandidates_EvictsFewestLowestPriorityVictims()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        allocator.Place(TestFleet.Request("medium-0", 10, 40, QosLevel.Medium), TestFleet.Now);
        allocator.Place(TestFleet.Request("low-small-0", 10, 20, QosLevel.Low), TestFleet.Now);
        allocator.Place(TestFleet.Request("low-small-1", 10, 20, QosLevel.Low), TestFleet.Now);

        // 40 GiB needed: evicting both low 20 GiB workers suffices and spares the medium one.
        var decision = allocator.Place(TestFleet.Request("crit-0", 10, 40, QosLevel.Critical), TestFleet.Now);

        Assert.Equal(["team/low-small-0", "team/low-small-1"], decision.Victims.Select(victim => victim.WorkerId).Order());
        Assert.True(allocator.State.Allocations.ContainsKey("team/medium-0"));
    }

    [Fact]
    public void Solve_PreemptedVictimsWithNoRoomLeft_AreUnschedulableNamingThePreemptor()
    {
        var allocator = new BatchAllocator(TestFleet.State(2, 1));
        allocator.Place(TestFleet.Request("low-0", 10, 60, QosLevel.Low), TestFleet.Now);
        allocator.Place(TestFleet.Request("low-1", 10, 10, QosLevel.Low), TestFleet.Now);

        // Both low workers sit on n0 (compact). crit-0 takes the empty n1; crit-1 needs 79 GiB, so both low workers go.
        var decisions = allocator.Solve(
            [TestFleet.Request("crit-0", 10, 79, QosLevel.Critical), TestFleet.Request("crit-1", 10, 79, QosLevel.Critical)], TestFleet.Now);

        Assert.Equal([DecisionKind.Place, DecisionKind.Preempt, DecisionKind.Unschedulable, DecisionKind.Unschedulable], decisions.Select(d => d.Kind));
        Assert.Equal(2, decisions[1].Victims.Count);
        Assert.All(decisions.Skip(2), decision => Assert.StartsWith("preempted by team/crit-1", decision.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_PreemptedVictim_IsPlacedAgainWhereRoomRemains()
    {
        var allocator = new BatchAllocator(TestFleet.State(2, 1));
        allocator.Place(TestFleet.Request("low-0", 10, 60, QosLevel.Low), TestFleet.Now);
        var pinned = TestFleet.Request("crit-0", 10, 60, QosLevel.Critical) with
        {
            NodeAffinity = [new NodeSelectorTerm([new NodeSelectorRequirement("kubernetes.io/hostname", NodeSelectorOperator.In, ["n0"])])],
        };

        var decisions = allocator.Solve([pinned], TestFleet.Now);

        Assert.Equal(DecisionKind.Preempt, decisions[0].Kind);
        Assert.Equal("n0", decisions[0].Allocation!.Node);
        Assert.Equal(DecisionKind.Place, decisions[1].Kind);
        Assert.Equal("n1", decisions[1].Allocation!.Node);
    }
}
