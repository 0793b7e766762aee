namespace TensorFusion.Estimators.Recommendation;

/// <summary>What one recommender (or the merged pipeline) concluded.</summary>
/// <param name="Reason">Why; see <see cref="RecommendationReason"/>.</param>
/// <param name="Message">A sentence for people that explains the numbers.</param>
/// <param name="Resources">The recommended requests/limits; null when nothing is recommended.</param>
/// <param name="HasApplied">True when the result needs no push (already in effect, or inside the threshold).</param>
/// <param name="ScaleDownLocking">True for an active cron rule: its resources are a floor for the merged result.</param>
/// <param name="Estimates">The percentile estimates behind the numbers, when the percentile recommender ran.</param>
/// <param name="ActiveCronRule">The name of the cron rule whose window is open, if any.</param>
public sealed record RecommendationResult(
    RecommendationReason Reason,
    string Message,
    WorkloadResources? Resources,
    bool HasApplied = false,
    bool ScaleDownLocking = false,
    ResourceEstimates? Estimates = null,
    string? ActiveCronRule = null);
