using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Percentile;

/// <summary>
/// Upstream's percentile recommender: usage percentiles plus a margin become requests and limits.
/// </summary>
/// <remarks>
/// Per resource: the limit is the upper-bound estimate; the request is the upper bound for critical QoS, the target
/// for high, and the lower bound for medium and low. Both are raised to a floor (1 TFLOPs, 1 GiB) and clamped to
/// [spec × minRatio, spec × maxRatio] (VRAM 0.2–5, compute 0.1–10; a bound that computes to 0 is skipped). A compute
/// limit never goes below the spec's limit, and (beyond upstream) a limit never goes below its request. The result
/// is applied only when some request moves by more than <c>updateThreshold</c> × the current request; otherwise the
/// reason is <see cref="RecommendationReason.InsideUpdateThreshold"/>. Before creation + initialDelayPeriod the answer is
/// <see cref="RecommendationReason.LowConfidence"/> and nothing changes.
/// </remarks>
public static class PercentileRecommender
{
    public const double MinTflops = 1;
    public const double MinVramBytes = ResourceText.GiB;

    public static RecommendationResult Recommend(PercentileRecommenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = input.Options;
        var readyAt = input.CreationTime + options.InitialDelayPeriod;
        if (input.Now < readyAt)
        {
            return new RecommendationResult(
                RecommendationReason.LowConfidence,
                () => $"workload is {GoDuration.Format(input.Now - input.CreationTime)} old; recommendations start after the initial " +
                    $"delay of {GoDuration.Format(options.InitialDelayPeriod)} (at {readyAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})",
                resources: null,
                hasApplied: true);
        }

        if (input.Aggregate.IsEmpty)
        {
            return new RecommendationResult(RecommendationReason.NoData, "no usage samples yet, so no recommendation", null, hasApplied: true);
        }

        var estimates = PercentileEstimator.Estimate(input.Aggregate, options);
        var current = input.Current ?? input.Spec;
        var tflopsResolver = new ResourceResolver(
            new ResourceBounds("TFLOPs", MinTflops, options.MinComputeResourcesRatio, options.MaxComputeResourcesRatio, LimitNeverBelowSpec: true),
            ResourceText.Tflops,
            (options.LowerBoundComputePercentile, options.TargetComputePercentile, options.UpperBoundComputePercentile),
            options.MarginFraction);
        var vramResolver = new ResourceResolver(
            new ResourceBounds("VRAM", MinVramBytes, options.MinVramResourcesRatio, options.MaxVramResourcesRatio, LimitNeverBelowSpec: false),
            ResourceText.Vram,
            (options.LowerBoundVramPercentile, options.TargetVramPercentile, options.UpperBoundVramPercentile),
            options.MarginFraction);
        ResourceResolver.Resolution Tflops(bool explain) => tflopsResolver.Resolve(
            estimates.Tflops, input.Aggregate.Tflops.IsEmpty, input.Qos, input.Spec.Requests.Tflops, input.Spec.Limits.Tflops,
            current.Requests.Tflops, current.Limits.Tflops, explain);
        ResourceResolver.Resolution Vram(bool explain) => vramResolver.Resolve(
            estimates.Vram, input.Aggregate.Vram.IsEmpty, input.Qos, input.Spec.Requests.VramBytes, input.Spec.Limits.VramBytes,
            current.Requests.VramBytes, current.Limits.VramBytes, explain);

        var tflops = Tflops(explain: false);
        var vram = Vram(explain: false);
        var recommended = new WorkloadResources(
            new ResourceAmount(tflops.Request, vram.Request),
            new ResourceAmount(tflops.Limit, vram.Limit));
        string Explanation() => $"{Tflops(explain: true).Explanation}. {Vram(explain: true).Explanation}.";

        var compared = 0;
        var exceeded = 0;
        CompareToCurrent(tflops.Request, current.Requests.Tflops, options.UpdateThreshold, ref compared, ref exceeded);
        CompareToCurrent(vram.Request, current.Requests.VramBytes, options.UpdateThreshold, ref compared, ref exceeded);
        var threshold = options.UpdateThreshold;
        if (compared > 0 && exceeded == 0)
        {
            return new RecommendationResult(
                RecommendationReason.InsideUpdateThreshold,
                () => $"{Explanation()} No request moves by more than the update threshold of {ResourceText.Percent(threshold)}, " +
                    "so the recommendation is recorded but not applied.",
                recommended,
                hasApplied: true,
                estimates: estimates);
        }

        return new RecommendationResult(
            RecommendationReason.Updated,
            () => $"{Explanation()} At least one request moves by more than the update threshold of {ResourceText.Percent(threshold)}.",
            recommended,
            estimates: estimates);
    }

    /// <summary>Upstream's rule: only resources with a non-zero current and recommended request are compared.</summary>
    private static void CompareToCurrent(double recommended, double current, double threshold, ref int compared, ref int exceeded)
    {
        if (recommended != 0 && current != 0)
        {
            compared++;
            exceeded += Math.Abs(recommended - current) > current * threshold ? 1 : 0;
        }
    }
}
