using TensorFusion.Estimators.Aggregation;

namespace TensorFusion.Estimators.Tests.Aggregation;

public sealed class WorkloadUsageAggregateTests
{
    private const double GiB = 1024.0 * 1024 * 1024;
    // Midnight UTC: a multiple of every half-life used here, so it is exactly the decay reference.
    private static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    // A 24 h half-life equal to the peak window keeps the VRAM arithmetic readable: a peak at the end of the first
    // window (midnight + 24 h) weighs 2^1 = 2, one window later 2^2 = 4.
    private static readonly AggregationOptions DayHalfLife = new(TimeSpan.FromHours(24), TimeSpan.FromHours(24));

    [Fact]
    public void AddTflopsSample_EachSample_WeighsOneTenth()
    {
        // Three samples at the reference time (decay factor 1): total 3 × 0.1 = 0.3.
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);

        aggregate.AddSample("w-0", Midnight, 5, 2 * GiB);
        aggregate.AddSample("w-1", Midnight, 6, 2 * GiB);
        aggregate.AddSample("w-2", Midnight, 7, 2 * GiB);

        Assert.Equal(0.3, aggregate.Tflops.TotalWeight, 9);
        Assert.Equal(3, aggregate.TotalSamplesCount);
        Assert.Equal(3, aggregate.WorkerCount);
    }

    [Fact]
    public void AddTflopsSample_OlderThanThatWorkersLast_IsDropped()
    {
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);
        var worker = aggregate.WorkerSlot("w-0");
        Assert.True(aggregate.AddTflopsSample(worker, Midnight.AddMinutes(1), 5));

        var late = aggregate.AddTflopsSample(worker, Midnight, 50);
        var otherWorker = aggregate.AddTflopsSample(aggregate.WorkerSlot("w-1"), Midnight, 50);

        Assert.False(late);
        Assert.True(otherWorker); // ordering is per worker
        Assert.Equal(2, aggregate.TotalSamplesCount);
    }

    [Fact]
    public void AddTflopsSample_Negative_IsDropped()
    {
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);

        var accepted = aggregate.AddTflopsSample(aggregate.WorkerSlot("w-0"), Midnight, -1);

        Assert.False(accepted);
        Assert.True(aggregate.Tflops.IsEmpty);
        Assert.Equal(0, aggregate.TotalSamplesCount);
    }

    [Fact]
    public void AddVramSample_HigherPeakInTheSameWindow_ReplacesTheLowerOne()
    {
        // 2 GiB at midnight opens the window [midnight, midnight + 24 h) with a peak of weight 2 (timestamped at the window end).
        // 1 GiB changes nothing; 4 GiB subtracts the 2 GiB peak and adds 4 GiB: still total 2, all of it at 4 GiB,
        // whose bucket [4.1247e9, 4.3409e9) ends at 4 340 933 440 bytes.
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);
        var worker = aggregate.WorkerSlot("w-0");

        aggregate.AddVramSample(worker, Midnight, 2 * GiB);
        aggregate.AddVramSample(worker, Midnight.AddHours(1), 1 * GiB);
        aggregate.AddVramSample(worker, Midnight.AddHours(2), 4 * GiB);

        Assert.Equal(2, aggregate.Vram.TotalWeight, 9);
        Assert.Equal(4_340_933_440, aggregate.Vram.Percentile(0.01), 0);
    }

    [Fact]
    public void AddVramSample_PastTheWindowEnd_StartsANewPeak()
    {
        // Window 1 ends at midnight + 24 h (weight 2^1 = 2, 4 GiB). A reading at exactly midnight + 24 h opens window 2, ending
        // at midnight + 48 h (weight 2^2 = 4, 2 GiB). Total 6; p50 threshold 3 passes the 2 GiB bucket (weight 4):
        // p50 = end of [2.0935e9, 2.2082e9) = 2 208 153 955.
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);
        var worker = aggregate.WorkerSlot("w-0");

        aggregate.AddVramSample(worker, Midnight, 4 * GiB);
        aggregate.AddVramSample(worker, Midnight.AddHours(24), 2 * GiB);

        Assert.Equal(6, aggregate.Vram.TotalWeight, 9);
        Assert.Equal(2_208_153_955, aggregate.Vram.Percentile(0.5), 0);
    }

    [Fact]
    public void AddVramSample_OutOfOrder_IsDropped()
    {
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);
        var worker = aggregate.WorkerSlot("w-0");
        aggregate.AddVramSample(worker, Midnight.AddHours(1), 2 * GiB);

        var accepted = aggregate.AddVramSample(worker, Midnight, 8 * GiB);

        // Only the first peak counts: its window ends at midnight + 25 h, so it weighs 2^(25/24) = 2.0586045.
        Assert.False(accepted);
        Assert.Equal(Math.Pow(2, 25.0 / 24), aggregate.Vram.TotalWeight, 9);
    }

    [Fact]
    public void AddSample_UnknownSlot_IsRejectedWithAClearMessage()
    {
        var aggregate = new WorkloadUsageAggregate(DayHalfLife, Midnight);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => aggregate.AddSample(3, Midnight, 1, 1));

        Assert.Contains("WorkerSlot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForHistoryPeriod_TwoHours_GivesAOneHourHalfLife()
    {
        Assert.Equal(TimeSpan.FromHours(1), AggregationOptions.Default.HalfLife);
        Assert.Equal(TimeSpan.FromHours(12), AggregationOptions.ForHistoryPeriod(TimeSpan.FromDays(1)).HalfLife);
    }
}
