using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Percentile;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Workload;

/// <summary>
/// The whole recommendation pass for one workload: percentile → cron → external, merged, then capped by GPU headroom.
/// </summary>
/// <remarks>
/// Any configuration error (bad option string, bad cron rule, two active rules) stops the pass: the current resources
/// stay and the errors are reported. Otherwise the merged resources are applied when they differ from the current ones;
/// the reason is the one of the recommender that set them (cron before external before percentile). When nothing
/// changes, the reason says why (an active cron rule already in effect, LowConfidence, NoData, InsideUpdateThreshold).
/// </remarks>
public static class WorkloadRecommender
{
    public static WorkloadRecommendation Recommend(WorkloadRecommendationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var current = input.Current ?? input.Spec;
        var percentile = PercentileRecommender.Recommend(new PercentileRecommenderInput(
            input.Aggregate, input.Spec, input.Current, input.Qos, input.Options, input.CreationTime, input.Now));
        var estimates = percentile.Estimates ?? PercentileEstimator.Estimate(input.Aggregate, input.Options);
        var cron = CronRecommender.Evaluate(input.CronRules, input.RecordedCronRule, input.Spec, input.Now);
        if (input.ConfigurationErrors is { Count: > 0 } || cron.Errors.Count > 0)
        {
            var errors = (input.ConfigurationErrors ?? []).Concat(cron.Errors).ToList();
            return new WorkloadRecommendation(
                percentile.Reason, () => $"configuration errors, nothing changes: {string.Join("; ", errors)}",
                estimates, current, shouldApply: false, activeCronRule: null, errors);
        }

        var results = new List<RecommendationResult>(3) { percentile };
        if (cron.Result is not null)
        {
            results.Add(cron.Result);
        }

        if (input.External is not null)
        {
            results.Add(input.External);
        }

        var activeRule = cron.Result?.ActiveCronRule;
        var merged = RecommendationMerger.Merge(results, current);
        string? capNote = null;
        if (merged is { } uncapped && input.Headroom is { Count: > 0 } headroom)
        {
            merged = ScaleUpCap.Apply(uncapped, ScaleUpCap.MaxRequestPerWorker(headroom), out capNote);
        }

        if (merged is { } resources && resources != current)
        {
            var driver = Driver(cron.Result, input.External, percentile);
            return new WorkloadRecommendation(
                driver.Reason,
                () => string.Join(" ", results.Where(r => r.Resources is not null || r == percentile).Select(r => r.Message))
                    + (capNote is null ? "" : $" Scale-up cap: {capNote}."),
                estimates, resources, shouldApply: true, activeRule, []);
        }

        var primary = cron.Result is { Reason: RecommendationReason.RuleActive } active ? active : percentile;
        var kept = primary.Reason == RecommendationReason.InsideUpdateThreshold && primary.Resources is { } recorded ? recorded : current;
        var note = merged is null ? "" : " The merged recommendation equals the current resources.";
        return new WorkloadRecommendation(primary.Reason, () => primary.Message + note, estimates, kept, shouldApply: false, activeRule, []);
    }

    /// <summary>The recommender credited with a change: cron first, then external, then percentile (first one still pending).</summary>
    private static RecommendationResult Driver(RecommendationResult? cron, RecommendationResult? external, RecommendationResult percentile)
    {
        foreach (var candidate in new[] { cron, external })
        {
            if (candidate is { HasApplied: false, Resources: not null })
            {
                return candidate;
            }
        }

        return percentile;
    }
}
