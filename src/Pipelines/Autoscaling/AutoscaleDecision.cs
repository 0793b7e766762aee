using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// What the autoscaler concluded for one workload, ready for status: the recommendation (the last one kept when
/// metrics are unavailable), the active cron rule, whether to resize in place, and the ResourceUpdate condition.
/// </summary>
public sealed record AutoscaleDecision(
    string Namespace,
    string Name,
    WorkloadResources Recommendation,
    string? ActiveCronRule,
    bool Apply,
    bool ConditionTrue,
    string ConditionReason,
    string ConditionMessage,
    ResourceEstimates Estimates);
