using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Workload;

/// <summary>One workload as the full recommendation pass sees it.</summary>
/// <param name="Aggregate">Usage history.</param>
/// <param name="Spec">spec.resources.</param>
/// <param name="Current">status.recommendation, if any.</param>
/// <param name="Qos">spec.qos.</param>
/// <param name="Options">Parsed autoSetResources (parse errors go in <paramref name="ConfigurationErrors"/>).</param>
/// <param name="CronRules">spec.autoScalingConfig.cronScalingRules.</param>
/// <param name="RecordedCronRule">status.activeCronScalingRule.</param>
/// <param name="CreationTime">metadata.creationTimestamp.</param>
/// <param name="Now">Evaluation time.</param>
/// <param name="External">The external scaler's already-interpreted result, if one is configured.</param>
/// <param name="Headroom">Per-GPU headroom of the workload's workers; null means no scale-up cap.</param>
/// <param name="ConfigurationErrors">Problems already found in the workload's configuration.</param>
public sealed record WorkloadRecommendationInput(
    WorkloadUsageAggregate Aggregate,
    WorkloadResources Spec,
    WorkloadResources? Current,
    QosLevel Qos,
    PercentileOptions Options,
    IReadOnlyList<CronScalingRule> CronRules,
    CronScalingRule? RecordedCronRule,
    DateTimeOffset CreationTime,
    DateTimeOffset Now,
    RecommendationResult? External = null,
    IReadOnlyList<GpuHeadroom>? Headroom = null,
    IReadOnlyList<string>? ConfigurationErrors = null);
