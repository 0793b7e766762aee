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
                $"workload is {GoDuration.Format(input.Now - input.CreationTime)} old; recommendations start after the initial delay " +
                $"of {GoDuration.Format(options.InitialDelayPeriod)} (at {readyAt:yyyy-MM-ddTHH:mm:ssZ})",
                Resources: null,
                HasApplied: true);
        }

        if (input.Aggregate.IsEmpty)
        {
            return new RecommendationResult(RecommendationReason.NoData, "no usage samples yet, so no recommendation", null, HasApplied: true);
        }

        var estimates = PercentileEstimator.Estimate(input.Aggregate, options);
        var current = input.Current ?? input.Spec;
        var tflops = new ResourceResolver(
            new ResourceBounds("TFLOPs", MinTflops, options.MinComputeResourcesRatio, options.MaxComputeResourcesRatio, LimitNeverBelowSpec: true),
            ResourceText.Tflops,
            (options.LowerBoundComputePercentile, options.TargetComputePercentile, options.UpperBoundComputePercentile),
            options.MarginFraction)
            .Resolve(estimates.Tflops, input.Aggregate.Tflops.IsEmpty, input.Qos, input.Spec.Requests.Tflops, input.Spec.Limits.Tflops,
                current.Requests.Tflops, current.Limits.Tflops);
        var vram = new ResourceResolver(
            new ResourceBounds("VRAM", MinVramBytes, options.MinVramResourcesRatio, options.MaxVramResourcesRatio, LimitNeverBelowSpec: false),
            ResourceText.Vram,
            (options.LowerBoundVramPercentile, options.TargetVramPercentile, options.UpperBoundVramPercentile),
            options.MarginFraction)
            .Resolve(estimates.Vram, input.Aggregate.Vram.IsEmpty, input.Qos, input.Spec.Requests.VramBytes, input.Spec.Limits.VramBytes,
                current.Requests.VramBytes, current.Limits.VramBytes);

        var recommended = new WorkloadResources(
            new ResourceAmount(tflops.Request, vram.Request),
            new ResourceAmount(tflops.Limit, vram.Limit));
        var explanation = $"{tflops.Explanation}. {vram.Explanation}.";

        var compared = 0;
        var exceeded = 0;
        foreach (var (recommendedRequest, currentRequest) in new[] { (tflops.Request, current.Requests.Tflops), (vram.Request, current.Requests.VramBytes) })
        {
            if (recommendedRequest != 0 && currentRequest != 0)
            {
                compared++;
                exceeded += Math.Abs(recommendedRequest - currentRequest) > currentRequest * options.UpdateThreshold ? 1 : 0;
            }
        }

        if (compared > 0 && exceeded == 0)
        {
            return new RecommendationResult(
                RecommendationReason.InsideUpdateThreshold,
                $"{explanation} No request moves by more than the update threshold of {ResourceText.Percent(options.UpdateThreshold)}, " +
                "so the recommendation is recorded but not applied.",
                recommended,
                HasApplied: true,
                Estimates: estimates);
        }

        return new RecommendationResult(
            RecommendationReason.Updated,
            $"{explanation} At least one request moves by more than the update threshold of {ResourceText.Percent(options.UpdateThreshold)}.",
            recommended,
            Estimates: estimates);
    }
}
