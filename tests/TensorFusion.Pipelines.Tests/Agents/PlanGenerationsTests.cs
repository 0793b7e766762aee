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

        // Term 3 counter 1000 = 3·2^42 + 1000; term 4 counter 1 = 4·2^42 + 1.
        Assert.Equal(13_194_139_534_312, oldGeneration);
        Assert.Equal(17_592_186_044_417, next);
        Assert.True(next > oldGeneration);
    }

    [Fact]
    public void TryRebase_LaterTerm_FencedAndNothingChanges()
    {
        var generations = PlanGenerations.ForTerm(leaseTransitions: 2);
        var first = generations.Next("n0");

        var rebased = generations.TryRebase("n0", (4L << PlanGenerations.EpochShift) | 7);

        Assert.False(rebased);
        Assert.Equal(first + 1, generations.Next("n0"));
    }

    [Fact]
    public void TryRebase_SameTermHigherCounter_NextGoesAboveTheAgent()
    {
        // A restarted leader that kept the Lease (same holder, so the same term) starts its counters at 1 again.
        var generations = PlanGenerations.ForTerm(leaseTransitions: 2);
        var agentHolds = (3L << PlanGenerations.EpochShift) | 50;

        Assert.True(generations.TryRebase("n0", agentHolds));

        Assert.Equal(agentHolds + 1, generations.Next("n0"));
        Assert.Equal((3L << PlanGenerations.EpochShift) | 1, generations.Next("n1"));
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

    [Fact]
    public void Next_FirstElectedTerm_OutranksAWallClockGenerationFromAnOlderOperator()
    {
        // Older versions numbered plans in wall-clock milliseconds: 2026-12-04 is 1_796_342_400_000 ≈ 1.8·10^12.
        // Term 1 counter 1 = 2^42 + 1 = 4_398_046_511_105, so an upgraded, leader-elected operator is not fenced off.
        var wallClock = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var first = PlanGenerations.ForTerm(leaseTransitions: 0).Next("n0");

        Assert.Equal(1_796_342_400_000, wallClock);
        Assert.Equal(4_398_046_511_105, first);
        Assert.True(first > wallClock);
    }
}
