using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Cron;

/// <summary>
/// Time-window scaling: a rule is active when, looking forward from now, its next <c>end</c> comes before its next
/// <c>start</c> — i.e. we are inside a start→end window (start inclusive, end exclusive).
/// </summary>
/// <remarks>
/// Cron fields are evaluated in the rule's IANA time zone (UTC by default), so "0 9 * * 1-5" means 09:00 local time
/// including across daylight-saving changes. At most one rule may be active; more is an error reported on the workload.
/// Entering a window recommends the rule's desired resources and makes them a floor for the merged recommendation;
/// leaving a window (a rule was recorded active and no longer is) reverts to the spec.
/// </remarks>
public static class CronRecommender
{
    /// <param name="rules">The workload's cron rules.</param>
    /// <param name="recordedActiveRule">The rule recorded in status as active, if any.</param>
    /// <param name="spec">The workload's spec resources (the revert target).</param>
    /// <param name="now">Evaluation time.</param>
    public static CronEvaluation Evaluate(
        IReadOnlyList<CronScalingRule> rules, CronScalingRule? recordedActiveRule, WorkloadResources spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = new List<string>();
        var active = new List<(CronScalingRule Rule, DateTimeOffset Until)>();
        foreach (var rule in rules)
        {
            if (!rule.Enable || string.IsNullOrWhiteSpace(rule.Name) || string.IsNullOrWhiteSpace(rule.Start) || string.IsNullOrWhiteSpace(rule.End))
            {
                continue;
            }

            if (CronWindow.TryOpenUntil(rule, now, out var until, out var error))
            {
                active.Add((rule, until));
            }
            else if (error is not null)
            {
                errors.Add(error);
            }
        }

        if (active.Count > 1)
        {
            errors.Add($"cronScalingRules: only one active cron scaling rule is permitted, but {string.Join(", ", active.Select(a => a.Rule.Name))} are all active");
        }

        if (errors.Count > 0)
        {
            return new CronEvaluation(null, errors);
        }

        if (active.Count == 0)
        {
            return recordedActiveRule is null
                ? new CronEvaluation(null, [])
                : new CronEvaluation(
                    new RecommendationResult(
                        RecommendationReason.RuleInactive,
                        $"cron rule {recordedActiveRule.Name} is no longer active; resources revert to the spec",
                        spec),
                    []);
        }

        var (activeRule, openUntil) = active[0];
        var alreadyApplied = recordedActiveRule is not null
            && recordedActiveRule.Name == activeRule.Name
            && recordedActiveRule.DesiredResources == activeRule.DesiredResources;
        var desired = activeRule.DesiredResources;
        return new CronEvaluation(
            new RecommendationResult(
                RecommendationReason.RuleActive,
                () => $"cron rule {activeRule.Name} is active until {openUntil:yyyy-MM-ddTHH:mm:sszzz} ({activeRule.TimeZone ?? "UTC"}); " +
                $"desired request {ResourceText.Tflops(desired.Requests.Tflops)} / {ResourceText.Vram(desired.Requests.VramBytes)}, " +
                $"limit {ResourceText.Tflops(desired.Limits.Tflops)} / {ResourceText.Vram(desired.Limits.VramBytes)}, kept as a floor",
                desired,
                hasApplied: alreadyApplied,
                scaleDownLocking: true,
                activeCronRule: activeRule.Name),
            []);
    }
}
