using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Histograms;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Percentile;

/// <summary>
/// Turns a workload's usage histograms into lower/target/upper estimates.
/// </summary>
/// <remarks>
/// Each estimate is <c>Percentile_p(histogram) × (1 + marginFraction)</c>, then (only when a confidence interval is set) the
/// bounds get <see cref="ConfidenceScaling"/>, and everything is clamped to [0, 1e14]. VRAM estimates are whole bytes
/// (rounded down, as upstream truncates to an integer quantity). Example with the defaults: TFLOPs samples whose p95
/// lands in the bucket [7.57, 8.05) give a target of 8.05 × 1.15 = 9.26 TFLOPs.
/// </remarks>
public static class PercentileEstimator
{
    /// <summary>Upper clamp of every estimate, as upstream (1e14).</summary>
    public const double MaxEstimate = 1e14;

    public static ResourceEstimates Estimate(WorkloadUsageAggregate aggregate, PercentileOptions options)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(options);
        var confidence = options.ConfidenceInterval is { } interval
            ? ConfidenceScaling.Confidence(aggregate.TotalSamplesCount, aggregate.FirstSampleStart, aggregate.LastSampleStart, interval)
            : (double?)null;

        var tflops = Range(aggregate.Tflops, options.LowerBoundComputePercentile, options.TargetComputePercentile,
            options.UpperBoundComputePercentile, options.MarginFraction, confidence, wholeUnits: false);
        var vram = Range(aggregate.Vram, options.LowerBoundVramPercentile, options.TargetVramPercentile,
            options.UpperBoundVramPercentile, options.MarginFraction, confidence, wholeUnits: true);
        return new ResourceEstimates(tflops, vram);
    }

    private static EstimateRange Range(
        DecayingHistogram histogram, double lowerP, double targetP, double upperP, double margin, double? confidence, bool wholeUnits)
    {
        var lower = histogram.Percentile(lowerP) * (1 + margin);
        var target = histogram.Percentile(targetP) * (1 + margin);
        var upper = histogram.Percentile(upperP) * (1 + margin);
        if (confidence is { } c)
        {
            lower = ConfidenceScaling.ScaleLowerBound(lower, c);
            upper = ConfidenceScaling.ScaleUpperBound(upper, c);
        }

        return new EstimateRange(Finish(lower, wholeUnits), Finish(target, wholeUnits), Finish(upper, wholeUnits));
    }

    private static double Finish(double value, bool wholeUnits)
    {
        var clamped = double.IsNaN(value) ? 0 : Math.Clamp(value, 0, MaxEstimate);
        return wholeUnits ? Math.Floor(clamped) : clamped;
    }
}
