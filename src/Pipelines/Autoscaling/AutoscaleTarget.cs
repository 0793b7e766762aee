using TensorFusion.Estimators.Cron;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// One autoscaled workload as the loop evaluates it (read from its spec and status by the caller): per-worker
/// spec.resources, status.recommendation in force (Current), QoS, parsed autoSetResources options, cron rules and the
/// recorded active rule, creation time, and whether autoSetResources.enable asks for in-place resizing.
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
    IReadOnlyList<string>? ConfigurationErrors = null)
{
    public string Key => $"{Namespace}/{Name}";
}
