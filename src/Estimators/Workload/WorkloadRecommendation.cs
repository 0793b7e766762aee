using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Workload;

/// <summary>The outcome of a full recommendation pass for one workload.</summary>
/// <param name="Reason">Why the resources are what they are.</param>
/// <param name="Message">Explains the numbers.</param>
/// <param name="Estimates">Percentile estimates (zeros without data).</param>
/// <param name="Resources">The resources the workload should have: the recommendation, or the current ones when nothing changes.</param>
/// <param name="ShouldApply">True when <see cref="Resources"/> differ from the current resources and should be pushed.</param>
/// <param name="ActiveCronRule">The name of the open cron window, if any.</param>
/// <param name="Errors">Configuration problems; when non-empty nothing is applied.</param>
public sealed record WorkloadRecommendation(
    RecommendationReason Reason,
    string Message,
    ResourceEstimates Estimates,
    WorkloadResources Resources,
    bool ShouldApply,
    string? ActiveCronRule,
    IReadOnlyList<string> Errors);
