using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Tests.Aggregation;

public sealed class AggregateCheckpointTests
{
    private const double GiB = 1024.0 * 1024 * 1024;
    // Midnight UTC: a multiple of every half-life used here, so it is exactly the decay reference.
    private static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SaveCheckpoint_HeaviestBucket_IsScaledTo10000()
    {
        // Samples 2 TFLOPs ×3 and 8 TFLOPs ×1 at the reference: weights 0.3 and 0.1 → integers 10 000 and 3 333.
        var aggregate = new WorkloadUsageAggregate(AggregationOptions.Default, Midnight);
        for (var i = 0; i < 3; i++)
        {
            aggregate.AddSample($"w-{i}", Midnight, 2, GiB);
        }

        aggregate.AddSample("w-3", Midnight, 8, GiB);

        var checkpoint = aggregate.SaveCheckpoint();

        Assert.Equal(
            new Dictionary<int, uint> { [ExponentialBuckets.Tflops.Find(2)] = 10_000, [ExponentialBuckets.Tflops.Find(8)] = 3_333 },
            checkpoint.Tflops.BucketWeights);
        Assert.Equal(0.4, checkpoint.Tflops.TotalWeight, 9);
        Assert.Equal(4, checkpoint.TotalSamplesCount);
        Assert.Equal(Midnight, checkpoint.FirstSampleStart);
    }

    [Fact]
    public void Restore_SavedAggregate_GivesTheSamePercentilesAndStatistics()
    {
        var aggregate = new WorkloadUsageAggregate(AggregationOptions.Default, Midnight);
        for (var minute = 0; minute < 120; minute++)
        {
            aggregate.AddSample("w-0", Midnight.AddMinutes(minute), 4 + minute % 7, (2 + minute % 3) * GiB);
            aggregate.AddSample("w-1", Midnight.AddMinutes(minute), 9 + minute % 5, 5 * GiB);
        }

        var restored = WorkloadUsageAggregate.Restore(aggregate.SaveCheckpoint(), AggregationOptions.Default);

        foreach (var p in new[] { 0.5, 0.95, 0.98, 0.99 })
        {
            Assert.Equal(aggregate.Tflops.Percentile(p), restored.Tflops.Percentile(p), 9);
            Assert.Equal(aggregate.Vram.Percentile(p), restored.Vram.Percentile(p), 0);
        }

        Assert.Equal(240, restored.TotalSamplesCount);
        Assert.Equal(Midnight, restored.FirstSampleStart);
        Assert.Equal(Midnight.AddMinutes(119), restored.LastSampleStart);
    }

    [Fact]
    public void Restore_OtherVersion_IsRefusedNamingBothVersions()
    {
        var checkpoint = new WorkloadUsageAggregate(AggregationOptions.Default, Midnight).SaveCheckpoint() with { Version = 99 };

        var error = Assert.Throws<ArgumentException>(() => WorkloadUsageAggregate.Restore(checkpoint, AggregationOptions.Default));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_BucketOutsideTheLayout_IsReported()
    {
        var empty = new WorkloadUsageAggregate(AggregationOptions.Default, Midnight).SaveCheckpoint();
        var corrupt = empty with { Tflops = new HistogramCheckpoint(Midnight, 1, new Dictionary<int, uint> { [500] = 10_000 }) };

        var error = Assert.Throws<ArgumentException>(() => WorkloadUsageAggregate.Restore(corrupt, AggregationOptions.Default));

        Assert.Contains("bucket 500", error.Message, StringComparison.Ordinal);
    }
}
