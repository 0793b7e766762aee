using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

public sealed class PlanGenerationsTests
{
    [Fact]
    public void Next_NewTermLowCounter_OutranksOldTermHighCounter()
    {
        var old = PlanGenerations.ForTerm(leaseTransitions: 2);
        long oldGeneration = 0;
        for (var i = 0; i < 1000; i++)
        {
            oldGeneration = old.Next("n0");
        }

        var next = PlanGenerations.ForTerm(leaseTransitions: 3).Next("n0");

        // Term 3 counter 1000 = 3·2^32 + 1000 = 12_884_902_888; term 4 counter 1 = 4·2^32 + 1 = 17_179_869_185.
        Assert.Equal(12_884_902_888, oldGeneration);
        Assert.Equal(17_179_869_185, next);
        Assert.True(next > oldGeneration);
    }

    [Fact]
    public void TryRebase_LaterTerm_FencedAndNothingChanges()
    {
        var generations = PlanGenerations.ForTerm(leaseTransitions: 2);
        var first = generations.Next("n0");

        var rebased = generations.TryRebase("n0", (4L << 32) | 7);

        Assert.False(rebased);
        Assert.Equal(first + 1, generations.Next("n0"));
    }

    [Fact]
    public void TryRebase_SameTermHigherCounter_NextGoesAboveTheAgent()
    {
        // A restarted leader that kept the Lease (same holder, so the same term) starts its counters at 1 again.
        var generations = PlanGenerations.ForTerm(leaseTransitions: 2);
        var agentHolds = (3L << 32) | 50;

        Assert.True(generations.TryRebase("n0", agentHolds));

        Assert.Equal(agentHolds + 1, generations.Next("n0"));
        Assert.Equal((3L << 32) | 1, generations.Next("n1"));
    }

    [Fact]
    public void TryRebase_Unfenced_AdoptsAnyGeneration()
    {
        // A lone operator after an upgrade meets an agent holding a clock generation (milliseconds since 1970).
        var generations = PlanGenerations.Unfenced();
        const long clockGeneration = 1_780_000_000_000;

        Assert.True(generations.TryRebase("n0", clockGeneration));

        Assert.Equal(clockGeneration + 1, generations.Next("n0"));
    }

    [Fact]
    public void EpochOfAndCounterOf_ComposedGeneration_SplitBack()
    {
        var generation = PlanGenerations.ForTerm(leaseTransitions: 9).Next("n0");

        Assert.Equal((10L, 1L), (PlanGenerations.EpochOf(generation), PlanGenerations.CounterOf(generation)));
    }
}
