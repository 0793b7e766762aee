using CsCheck;
using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Tests.Histograms;

/// <summary>Property tests: laws that hold for any samples, checked on generated inputs.</summary>
public sealed class HistogramLawTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(1);

    // Values span many buckets (0..500 TFLOPs); times stay within 90 h of the start, so no renormalisation happens
    // (exponent < 100) and no weight is cut at epsilon — the laws below are exact up to floating-point rounding.
    private static readonly Gen<(double Value, double Weight, int Minute)[]> Samples =
        Gen.Select(Gen.Double[0, 500], Gen.Double[0.01, 10], Gen.Int[0, 90 * 60]).Array[1, 40];

    [Fact]
    public void PercentileIsMonotoneInP()
    {
        Gen.Select(Samples, Gen.Double[0, 1], Gen.Double[0, 1]).Sample((samples, p1, p2) =>
        {
            var histogram = Build(samples, Start);

            Assert.True(histogram.Percentile(Math.Min(p1, p2)) <= histogram.Percentile(Math.Max(p1, p2)));
        }, iter: 200);
    }

    [Fact]
    public void ShiftingTimestampsAndReferenceTogetherChangesNothing()
    {
        Gen.Select(Samples, Gen.Long[-10_000_000, 10_000_000], Gen.Double[0, 1]).Sample((samples, shiftMinutes, p) =>
        {
            var shift = TimeSpan.FromMinutes(shiftMinutes);
            var original = Build(samples, Start);
            var shifted = Build(samples, Start + shift);

            // Weights differ by one common factor, so any percentile is the same; ±1e-9 on p absorbs rounding at exact ties.
            AssertWithin(shifted.Percentile(p), original, p, 1e-9);
        }, iter: 200);
    }

    [Fact]
    public void MergeIsAssociative()
    {
        Gen.Select(Samples, Samples, Samples, Gen.Double[0, 1]).Sample((a, b, c, p) =>
        {
            // Different references per part, as histograms of different workers or restarts would have.
            DecayingHistogram A() => Build(a, Start);
            DecayingHistogram B() => Build(b, Start + TimeSpan.FromHours(3));
            DecayingHistogram C() => Build(c, Start + TimeSpan.FromHours(7));

            var leftFirst = A();
            leftFirst.Merge(B());
            leftFirst.Merge(C());

            var bc = B();
            bc.Merge(C());
            var rightFirst = A();
            rightFirst.Merge(bc);

            Assert.Equal(leftFirst.Reference, rightFirst.Reference);
            Assert.Equal(1.0, rightFirst.TotalWeight / leftFirst.TotalWeight, 9);
            AssertWithin(rightFirst.Percentile(p), leftFirst, p, 1e-9);
        }, iter: 100);
    }

    [Fact]
    public void CheckpointRoundTripIsWithinOneBucket()
    {
        Gen.Select(Samples, Gen.Double[0, 1]).Sample((samples, p) =>
        {
            var original = Build(samples, Start);

            var restored = new DecayingHistogram(ExponentialBuckets.Tflops, HalfLife);
            HistogramCheckpoint.Save(original).RestoreInto(restored);

            // Each bucket weight is rounded to 1/10 000 of the heaviest bucket, so a running sum moves by at most
            // 176 × 0.5/10 000 < 0.01 of the total: the restored percentile lies within one bucket of the original's
            // percentiles at p ± 0.01.
            AssertWithin(restored.Percentile(p), original, p, 0.01, bucketSlack: 1);
            Assert.Equal(original.Reference, restored.Reference);
            Assert.Equal(1.0, restored.TotalWeight / original.TotalWeight, 9);
        }, iter: 200);
    }

    private static DecayingHistogram Build((double Value, double Weight, int Minute)[] samples, DateTimeOffset reference)
    {
        var histogram = new DecayingHistogram(ExponentialBuckets.Tflops, HalfLife, reference);
        foreach (var (value, weight, minute) in samples)
        {
            histogram.AddSample(value, weight, reference + TimeSpan.FromMinutes(minute));
        }

        return histogram;
    }

    private static void AssertWithin(double actual, DecayingHistogram expected, double p, double pSlack, int bucketSlack = 0)
    {
        var buckets = expected.Histogram.Buckets;
        var low = buckets.Find(expected.Percentile(Math.Max(0, p - pSlack))) - bucketSlack;
        var high = buckets.Find(expected.Percentile(Math.Min(1, p + pSlack))) + bucketSlack;
        var bucket = buckets.Find(actual);
        Assert.True(bucket >= low && bucket <= high, $"percentile {p}: bucket {bucket} outside [{low}, {high}]");
    }
}
