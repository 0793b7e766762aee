using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Tests.Histograms;

public sealed class HistogramTests
{
    private const int Digits = 5;

    [Fact]
    public void Percentile_Empty_IsZero()
    {
        var histogram = new Histogram(ExponentialBuckets.Tflops);

        Assert.Equal(0, histogram.Percentile(0.5));
        Assert.True(histogram.IsEmpty);
    }

    [Theory]
    // Samples 1, 2, 4, 8 TFLOPs with weight 1 each (total 4); the answer is the END of the bucket where the running sum
    // reaches p × 4. Buckets: 1 ∈ [0.9549, 1.1027), 2 ∈ [1.9599, 2.1579), 4 ∈ [3.8505, 4.1430), 8 ∈ [7.5299, 8.0064).
    [InlineData(0.0, 1.10266)] // threshold 0: the first non-empty bucket
    [InlineData(0.25, 1.10266)] // threshold 1: reached by the bucket of 1
    [InlineData(0.5, 2.15786)] // threshold 2: the bucket of 2
    [InlineData(0.75, 4.14305)] // threshold 3: the bucket of 4
    [InlineData(0.95, 8.00638)] // threshold 3.8: the bucket of 8
    [InlineData(1.0, 8.00638)]
    public void Percentile_FourSamples_ReturnsTheEndOfTheCrossingBucket(double p, double expected)
    {
        var histogram = new Histogram(ExponentialBuckets.Tflops);
        foreach (var value in new[] { 1.0, 2.0, 4.0, 8.0 })
        {
            histogram.AddSample(value, 1);
        }

        Assert.Equal(expected, histogram.Percentile(p), Digits);
    }

    [Fact]
    public void SubtractSample_RemovingTheTopSample_LowersTheMaximum()
    {
        // 2 and 8 with weight 1: p100 is the end of 8's bucket (8.00638); without 8 it is the end of 2's bucket (2.15786).
        var histogram = new Histogram(ExponentialBuckets.Tflops);
        histogram.AddSample(2, 1);
        histogram.AddSample(8, 1);

        histogram.SubtractSample(8, 1);

        Assert.Equal(2.15786, histogram.Percentile(1.0), Digits);
        Assert.Equal(1.0, histogram.TotalWeight, 9);
    }

    [Fact]
    public void SubtractSample_LeavingLessThanEpsilon_EmptiesTheBucket()
    {
        var histogram = new Histogram(ExponentialBuckets.Tflops);
        histogram.AddSample(2, 1);

        histogram.SubtractSample(2, 1 - 1e-6); // 1e-6 left < epsilon 1e-4

        Assert.True(histogram.IsEmpty);
        Assert.Equal(0, histogram.TotalWeight);
    }

    [Fact]
    public void AddSample_NegativeWeight_IsIgnored()
    {
        var histogram = new Histogram(ExponentialBuckets.Tflops);

        histogram.AddSample(2, -1);

        Assert.True(histogram.IsEmpty);
    }

    [Fact]
    public void Merge_TwoHistograms_AddsTheirWeights()
    {
        // {1: 1} + {8: 3} = total 4; p50 threshold 2 is reached only in 8's bucket.
        var left = new Histogram(ExponentialBuckets.Tflops);
        left.AddSample(1, 1);
        var right = new Histogram(ExponentialBuckets.Tflops);
        right.AddSample(8, 3);

        left.Merge(right);

        Assert.Equal(4, left.TotalWeight, 9);
        Assert.Equal(8.00638, left.Percentile(0.5), Digits);
    }

    [Fact]
    public void Merge_DifferentLayouts_IsRefused()
    {
        var tflops = new Histogram(ExponentialBuckets.Tflops);
        var vram = new Histogram(ExponentialBuckets.Vram);

        var error = Assert.Throws<ArgumentException>(() => tflops.Merge(vram));

        Assert.Contains("different bucket layouts", error.Message, StringComparison.Ordinal);
    }
}
