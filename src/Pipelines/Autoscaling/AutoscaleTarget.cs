using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// One autoscaled workload as the loop evaluates it (read from its spec and status by <see cref="AutoscaleTargetMapper"/>):
/// per-worker spec.resources, status.recommendation in force (Current), QoS, parsed autoSetResources options, cron rules
/// and the recorded active rule, creation time, and whether autoSetResources asks for in-place resizing (and of which
/// resources). Configuration errors stop the pass for this workload and are reported in its condition.
/// </summary>
public sealed record AutoscaleTarget(
    string Namespace,
    string Name,
    WorkloadResources Spec,
    WorkloadResources? Current,
    QosLevel Qos,
    PercentileOptions Options,
    IReadOnlyList<CronScalingRule> CronRules,
    CronScalingRule? RecordedCronRule,
    DateTimeOffset CreationTime,
    bool AutoSetResources,
    IReadOnlyList<string>? ConfigurationErrors = null,
    TargetResource InPlaceResources = TargetResource.All,
    ExternalScalerTarget? External = null,
    string? Uid = null)
{
    public string Key => $"{Namespace}/{Name}";
}
