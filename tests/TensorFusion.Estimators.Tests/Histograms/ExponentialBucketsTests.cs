using CsCheck;
using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Tests.Histograms;

public sealed class ExponentialBucketsTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Count_UpstreamLayouts_Have176Buckets()
    {
        // ceil(log_1.05(10000 × 0.05 / 0.1 + 1)) + 1 = ceil(log_1.05(5001)) + 1 = ceil(174.57) + 1 = 176; VRAM has the same ratio max/first.
        Assert.Equal(176, ExponentialBuckets.Tflops.Count);
        Assert.Equal(176, ExponentialBuckets.Vram.Count);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.1)]
    [InlineData(2, 0.205)] // 0.1 × (1.05² − 1) / 0.05 = 0.1 × 0.1025 / 0.05
    [InlineData(10, 1.2577893)] // 2 × (1.05^10 − 1) = 2 × 0.6288946
    [InlineData(36, 9.5836323)] // 2 × (1.05^36 − 1) = 2 × 4.7918161
    public void Start_TflopsLayout_FollowsTheGeometricFormula(int bucket, double expected)
    {
        Assert.Equal(expected, ExponentialBuckets.Tflops.Start(bucket), 6);
    }

    [Theory]
    [InlineData(-1.0, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.1, 1)]
    [InlineData(1.0, 8)] // log_1.05(1 × 0.5 + 1) = 8.31
    [InlineData(10.0, 36)] // log_1.05(6) = 36.72
    [InlineData(1e9, 175)] // beyond the max: the last bucket
    public void Find_Values_LandInTheBucketWhoseRangeHoldsThem(double value, int expected)
    {
        var bucket = ExponentialBuckets.Tflops.Find(value);

        Assert.Equal(expected, bucket);
    }

    [Fact]
    public void Find_EveryBucketStart_MapsToItsOwnBucket()
    {
        var buckets = ExponentialBuckets.Vram;
        for (var bucket = 1; bucket < buckets.Count; bucket++)
        {
            Assert.Equal(bucket, buckets.Find(buckets.Start(bucket)));
            Assert.Equal(bucket - 1, buckets.Find(buckets.Start(bucket) * (1 - Tolerance)));
        }
    }

    [Fact]
    public void FindByTable_AnyValue_AgreesWithTheLogarithmDefinition()
    {
        // The fast table lookup must be exactly floor(log_ratio(x)) as corrected against the starts, for both layouts.
        Gen.Double[-1, 2e4].Sample(value => Assert.Equal(ExponentialBuckets.Tflops.FindByLogarithm(value), ExponentialBuckets.Tflops.Find(value)), iter: 2000);
        Gen.Double[0, 2e12].Sample(value => Assert.Equal(ExponentialBuckets.Vram.FindByLogarithm(value), ExponentialBuckets.Vram.Find(value)), iter: 2000);
    }

    [Fact]
    public void Constructor_RatioNotAboveOne_IsRejectedWithTheParameterName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBuckets(0.1, 1.0, 100, 1e-4));

        Assert.Equal("ratio", error.ParamName);
    }
}
