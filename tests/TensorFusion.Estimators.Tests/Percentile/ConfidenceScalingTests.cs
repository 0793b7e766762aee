using TensorFusion.Estimators.Percentile;

namespace TensorFusion.Estimators.Tests.Percentile;

public sealed class ConfidenceScalingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Confidence_FewerSamplesThanMinutes_IsLimitedBySamples()
    {
        // 12 h span but only 360 samples: min(12/24, 360/1440) = min(0.5, 0.25) = 0.25 days.
        var confidence = ConfidenceScaling.Confidence(360, Start, Start.AddHours(12), Day);

        Assert.Equal(0.25, confidence, 12);
    }

    [Theory]
    // VPA's documented upper-bound factors for a 24 h interval: 12 h → ×3, 24 h → ×2, 1 week → ×(1 + 1/7) = ×1.1429.
    [InlineData(0.5, 3.0)]
    [InlineData(1.0, 2.0)]
    [InlineData(7.0, 1.142857)]
    public void ScaleUpperBound_Confidence_MultipliesByOnePlusInverse(double confidence, double factor)
    {
        Assert.Equal(10 * factor, ConfidenceScaling.ScaleUpperBound(10, confidence), 5);
    }

    [Theory]
    // (1 + 0.001/c)^−2 with c in days: 5 min = 0.003472 d → 0.6028; 30 min → 0.9105; 60 min → 0.9537; 24 h → 0.9980.
    [InlineData(5, 0.6028)]
    [InlineData(30, 0.9105)]
    [InlineData(60, 0.9537)]
    [InlineData(1440, 0.9980)]
    public void ScaleLowerBound_YoungHistory_ShrinksTheLowerBound(int minutes, double factor)
    {
        var confidence = minutes / 1440.0;

        Assert.Equal(factor, ConfidenceScaling.ScaleLowerBound(1, confidence), 4);
    }

    [Fact]
    public void Scale_NoHistory_GivesUnboundedUpperAndZeroLower()
    {
        Assert.Equal(double.PositiveInfinity, ConfidenceScaling.ScaleUpperBound(10, 0));
        Assert.Equal(0, ConfidenceScaling.ScaleLowerBound(10, 0));
        Assert.Equal(0, ConfidenceScaling.ScaleUpperBound(0, 0)); // no estimate stays no estimate
    }
}
