using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Host.Recommend;

/// <summary>A TensorFusionWorkload reduced to what the pure recommenders take.</summary>
public sealed record MappedWorkload(
    string Name,
    WorkloadResources Spec,
    WorkloadResources? Current,
    QosLevel Qos,
    AutoSetResourcesSettings? AutoSetResources,
    IReadOnlyList<CronScalingRule> CronRules,
    CronScalingRule? RecordedCronRule,
    DateTimeOffset? CreationTime);
