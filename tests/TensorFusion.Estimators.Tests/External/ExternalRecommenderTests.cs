using TensorFusion.Estimators.External;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests.External;

public sealed class ExternalRecommenderTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = ExternalRecommender.DefaultInitialDelay;
    private static readonly WorkloadResources Bigger = new(new(20, 8e9), new(40, 16e9));

    [Fact]
    public void Interpret_NeitherUpNorDown_IsNoScalingNeededWithTheScalersReason()
    {
        var result = ExternalRecommender.Interpret(new ExternalScalerResponse(false, false, "steady load", null), Created, Delay, Created.AddHours(1));

        Assert.Equal(RecommendationReason.NoScalingNeeded, result.Reason);
        Assert.Equal("external scaler: steady load", result.Message);
        Assert.Null(result.Resources);
    }

    [Fact]
    public void Interpret_ScaleUp_RecommendsTheScalersResources()
    {
        var result = ExternalRecommender.Interpret(new ExternalScalerResponse(true, false, "queue depth 40", Bigger), Created, Delay, Created.AddHours(1));

        Assert.Equal(RecommendationReason.Updated, result.Reason);
        Assert.Equal(Bigger, result.Resources);
        Assert.Equal("external scaler asks to scale up: queue depth 40", result.Message);
    }

    [Fact]
    public void Interpret_BeforeTheInitialDelay_IsLowConfidence()
    {
        var result = ExternalRecommender.Interpret(new ExternalScalerResponse(true, false, null, Bigger), Created, Delay, Created.AddMinutes(10));

        Assert.Equal(RecommendationReason.LowConfidence, result.Reason);
        Assert.Null(result.Resources);
    }
}
