using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Percentile;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests.Percentile;

public sealed class PercentileRecommenderTests
{
    private const double GiB = WorkedExample.GiB;

    [Fact]
    public void Estimate_WorkedExample_IsPercentileTimesMargin()
    {
        // TFLOPs p50: cumulative 0.6 is reached in 4's bucket [3.8505, 4.1430) → 4.14305 × 1.15 = 4.76450.
        // TFLOPs p95/p99: only 12's bucket [11.4095, 12.0800) passes 0.95 → 12.07998 × 1.15 = 13.89197.
        // VRAM p50: 3 GiB's bucket ends at 3 357 940 170.3 → × 1.15 = 3 861 631 195 (whole bytes).
        // VRAM p98/p99: 5 GiB's bucket ends at 5 595 509 625.8 → × 1.15 = 6 434 836 069.
        var estimates = PercentileEstimator.Estimate(WorkedExample.Aggregate(), PercentileOptions.Default);

        Assert.Equal(4.76450, estimates.Tflops.LowerBound, 5);
        Assert.Equal(13.89197, estimates.Tflops.Target, 5);
        Assert.Equal(13.89197, estimates.Tflops.UpperBound, 5);
        Assert.Equal(3_861_631_195, estimates.Vram.LowerBound);
        Assert.Equal(6_434_836_069, estimates.Vram.Target);
        Assert.Equal(6_434_836_069, estimates.Vram.UpperBound);
    }

    [Fact]
    public void Recommend_MediumQos_RequestsTheLowerBoundAndKeepsTheComputeLimit()
    {
        // Request = lower bound (medium): 4.76450 TFLOPs, 3 861 631 195 B. Limit = upper bound: 13.89197 TFLOPs is below
        // the spec limit 20, and a compute limit never drops below the spec → 20; VRAM limit 6 434 836 069 B.
        // TFLOPs moves |4.7645 − 10| = 5.24 > 10 % of 10 → Updated.
        var result = PercentileRecommender.Recommend(Input(QosLevel.Medium));

        Assert.Equal(RecommendationReason.Updated, result.Reason);
        var resources = Assert.NotNull(result.Resources);
        Assert.Equal(4.76450, resources.Requests.Tflops, 5);
        Assert.Equal(20, resources.Limits.Tflops);
        Assert.Equal(3_861_631_195, resources.Requests.VramBytes);
        Assert.Equal(6_434_836_069, resources.Limits.VramBytes);
        Assert.Contains("limit kept at the spec limit 20 TFLOPs", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_CriticalQos_RequestsTheUpperBound()
    {
        var result = PercentileRecommender.Recommend(Input(QosLevel.Critical));

        var resources = Assert.NotNull(result.Resources);
        Assert.Equal(13.89197, resources.Requests.Tflops, 5);
        Assert.Equal(6_434_836_069, resources.Requests.VramBytes);
    }

    [Fact]
    public void Recommend_BeforeTheInitialDelay_IsLowConfidenceAndChangesNothing()
    {
        // Created at 10:00, initial delay 30 m: at 10:29 nothing may change yet.
        var result = PercentileRecommender.Recommend(Input(QosLevel.Medium) with { Now = WorkedExample.Start.AddMinutes(29) });

        Assert.Equal(RecommendationReason.LowConfidence, result.Reason);
        Assert.Null(result.Resources);
        Assert.True(result.HasApplied);
        Assert.Contains("initial delay of 30m", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_NoSamples_IsNoData()
    {
        var empty = new WorkloadUsageAggregate(AggregationOptions.Default);

        var result = PercentileRecommender.Recommend(Input(QosLevel.Medium) with { Aggregate = empty });

        Assert.Equal(RecommendationReason.NoData, result.Reason);
        Assert.Null(result.Resources);
    }

    [Fact]
    public void Recommend_ChangeWithinThreshold_IsRecordedButNotApplied()
    {
        // Current request 4.5 TFLOPs vs recommended 4.7645: |0.2645| ≤ 0.45; VRAM 3.7e9 vs 3.8616e9: 0.16e9 ≤ 0.37e9.
        var current = new WorkloadResources(new ResourceAmount(4.5, 3.7e9), new ResourceAmount(20, 6.4e9));

        var result = PercentileRecommender.Recommend(Input(QosLevel.Medium) with { Current = current });

        Assert.Equal(RecommendationReason.InsideUpdateThreshold, result.Reason);
        Assert.True(result.HasApplied);
        Assert.NotNull(result.Resources);
    }

    [Fact]
    public void Recommend_TinyUsage_IsRaisedToTheFloors()
    {
        // 0.2 TFLOPs and 100 MB of use: estimates ≈ 0.24 TFLOPs and ≈ 0.12 GB, floored to 1 TFLOPs and 1 GiB
        // (the spec 2 TFLOPs / 2 GiB allows down to 0.2 TFLOPs and 0.4 GiB, so the floor decides).
        var aggregate = new WorkloadUsageAggregate(AggregationOptions.Default);
        aggregate.AddSample("w-0", WorkedExample.Start, 0.2, 1e8);
        var spec = new WorkloadResources(new ResourceAmount(2, 2 * GiB), new ResourceAmount(2, 2 * GiB));

        var result = PercentileRecommender.Recommend(Input(QosLevel.Medium) with { Aggregate = aggregate, Spec = spec });

        var resources = Assert.NotNull(result.Resources);
        Assert.Equal(1, resources.Requests.Tflops);
        Assert.Equal(GiB, resources.Requests.VramBytes);
        Assert.Equal(2, resources.Limits.Tflops); // compute limit never below the spec limit
    }

    [Fact]
    public void Recommend_HugeUsage_IsCappedAtTheMaxRatio()
    {
        // 500 TFLOPs of use against a spec of 10/20: request ≤ 10 × 10 = 100, limit ≤ 20 × 10 = 200.
        var aggregate = new WorkloadUsageAggregate(AggregationOptions.Default);
        aggregate.AddSample("w-0", WorkedExample.Start, 500, 3 * GiB);

        var result = PercentileRecommender.Recommend(Input(QosLevel.Critical) with { Aggregate = aggregate });

        var resources = Assert.NotNull(result.Resources);
        Assert.Equal(100, resources.Requests.Tflops);
        Assert.Equal(200, resources.Limits.Tflops);
        Assert.Contains("request capped at spec × 10 = 100 TFLOPs", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_WithConfidenceInterval_WidensTheBounds()
    {
        // 180 TFLOPs samples over 119 minutes, interval 24 h: c = min(119/1440, 180/1440) = 0.082639.
        // Upper: 13.89197 × (1 + 1/0.082639) = 13.89197 × 13.10084 = 181.99653. Lower: 4.76450 × (1 + 0.0121008)^−2 = 4.65126.
        var options = PercentileOptions.Default with { ConfidenceInterval = TimeSpan.FromHours(24) };

        var estimates = PercentileEstimator.Estimate(WorkedExample.Aggregate(), options);

        Assert.Equal(181.99653, estimates.Tflops.UpperBound, 4);
        Assert.Equal(4.65126, estimates.Tflops.LowerBound, 5);
        Assert.Equal(13.89197, estimates.Tflops.Target, 5); // the target has no confidence factor
    }

    private static PercentileRecommenderInput Input(QosLevel qos) => new(
        WorkedExample.Aggregate(),
        WorkedExample.Spec,
        Current: null,
        qos,
        PercentileOptions.Default,
        CreationTime: WorkedExample.Start,
        Now: WorkedExample.LastSample);
}
