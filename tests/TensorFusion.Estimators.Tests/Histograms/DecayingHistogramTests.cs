using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Tests.Histograms;

public sealed class DecayingHistogramTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    [Fact]
    public void AddSample_OneHalfLifeLater_CountsTwice()
    {
        // Reference noon, half-life 1 h: 2 TFLOPs at noon weighs 1 × 2^0 = 1, 8 TFLOPs at 13:00 weighs 1 × 2^1 = 2.
        // Total 3; p50 threshold 1.5 is passed only in 8's bucket [7.5299, 8.0064), so p50 = 8.00638
        // (without decay it would be 2's bucket end, 2.15786).
        var histogram = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon);

        histogram.AddSample(2, 1, Noon);
        histogram.AddSample(8, 1, Noon + OneHour);

        Assert.Equal(3, histogram.TotalWeight, 9);
        Assert.Equal(8.00638, histogram.Percentile(0.5), 5);
    }

    [Fact]
    public void Reference_NotOnAHalfLifeBoundary_IsRoundedDown()
    {
        var histogram = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon.AddMinutes(42));

        Assert.Equal(Noon, histogram.Reference);
    }

    [Fact]
    public void Reference_NoneGiven_IsTheFirstSampleRoundedDown()
    {
        var histogram = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour);

        histogram.AddSample(2, 1, Noon.AddMinutes(59));

        Assert.Equal(Noon, histogram.Reference);
        Assert.Equal(Math.Pow(2, 59.0 / 60), histogram.TotalWeight, 9); // 2^(59 min / 60 min) = 1.9885
    }

    [Fact]
    public void AddSample_ExponentPast100_RenormalisesToTheSampleTime()
    {
        // A sample 101 half-lives after the reference would weigh 2^101; the histogram moves its reference to the
        // sample's (aligned) time instead. The old sample is scaled by 2^−101 ≈ 4e−31 < epsilon and disappears.
        var histogram = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon);
        histogram.AddSample(2, 1, Noon);
        var late = Noon + 101 * OneHour;

        histogram.AddSample(8, 1, late);

        Assert.Equal(late, histogram.Reference);
        Assert.Equal(1, histogram.TotalWeight, 9);
        Assert.Equal(8.00638, histogram.Percentile(0.0), 5);
    }

    [Fact]
    public void Merge_DifferentReferences_AlignsToTheNewerOne()
    {
        // a: 2 TFLOPs at noon (reference noon, weight 1). b: 8 TFLOPs at 14:00 (reference 14:00, weight 1).
        // Merged at reference 14:00: a's weight becomes 1 × 2^−2 = 0.25, total 1.25.
        var a = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon);
        a.AddSample(2, 1, Noon);
        var b = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon + 2 * OneHour);
        b.AddSample(8, 1, Noon + 2 * OneHour);

        a.Merge(b);

        Assert.Equal(Noon + 2 * OneHour, a.Reference);
        Assert.Equal(1.25, a.TotalWeight, 9);
        Assert.Equal(2.15786, a.Percentile(0.2), 5); // threshold 0.25 reached by 2's bucket
    }

    [Fact]
    public void Merge_DifferentHalfLives_IsRefused()
    {
        var a = new DecayingHistogram(ExponentialBuckets.Tflops, OneHour, Noon);
        var b = new DecayingHistogram(ExponentialBuckets.Tflops, 2 * OneHour, Noon);

        var error = Assert.Throws<ArgumentException>(() => a.Merge(b));

        Assert.Contains("half-lives", error.Message, StringComparison.Ordinal);
    }
}
