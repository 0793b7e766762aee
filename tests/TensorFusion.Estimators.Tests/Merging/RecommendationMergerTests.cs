using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests.Merging;

public sealed class RecommendationMergerTests
{
    private static readonly WorkloadResources Current = new(new ResourceAmount(10, 4e9), new ResourceAmount(20, 8e9));

    [Fact]
    public void Merge_LargerRequestWinsPerResource_WithItsLimit()
    {
        // Percentile: 5 TFLOPs (limit 20), 6e9 B (limit 7e9). External: 8 TFLOPs (limit 9), 2e9 B (limit 3e9).
        // TFLOPs from external (8 > 5) with its limit 9; VRAM from percentile (6e9 > 2e9) with its limit 7e9.
        var percentile = Result(new(new(5, 6e9), new(20, 7e9)));
        var external = Result(new(new(8, 2e9), new(9, 3e9)));

        var merged = RecommendationMerger.Merge([percentile, external], Current);

        Assert.Equal(new WorkloadResources(new(8, 6e9), new(9, 7e9)), merged);
    }

    [Fact]
    public void Merge_AppliedCronFloor_RaisesALowerRecommendation()
    {
        // Percentile wants 5 TFLOPs, but an active (already applied) cron rule holds 30 TFLOPs: the floor wins.
        var percentile = Result(new(new(5, 6e9), new(20, 7e9)));
        var cron = Result(new(new(30, 1e9), new(40, 2e9))) with { HasApplied = true, ScaleDownLocking = true };

        var merged = RecommendationMerger.Merge([percentile, cron], Current);

        Assert.Equal(new WorkloadResources(new(30, 6e9), new(40, 7e9)), merged);
    }

    [Fact]
    public void Merge_ZeroParts_AreFilledFromCurrent()
    {
        var vramOnly = Result(new(new(0, 6e9), new(0, 7e9)));

        var merged = RecommendationMerger.Merge([vramOnly], Current);

        Assert.Equal(new WorkloadResources(new(10, 6e9), new(20, 7e9)), merged);
    }

    [Fact]
    public void Merge_NothingPending_ReturnsNull()
    {
        var applied = Result(new(new(5, 6e9), new(20, 7e9))) with { HasApplied = true };

        Assert.Null(RecommendationMerger.Merge([applied], Current));
    }

    private static RecommendationResult Result(WorkloadResources resources) => new(RecommendationReason.Updated, "test", resources);
}
