using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;
using ApiCronScalingRule = TensorFusion.Api.Autoscaling.CronScalingRule;
using ApiQosLevel = TensorFusion.Api.Workloads.QosLevel;
using ApiTargetResource = TensorFusion.Api.Autoscaling.TargetResource;
using CronScalingRule = TensorFusion.Estimators.Cron.CronScalingRule;
using QosLevel = TensorFusion.Estimators.Recommendation.QosLevel;

namespace TensorFusion.Host.Recommend;

/// <summary>Maps the API's <see cref="TensorFusionWorkload"/> onto the records of the pure estimators.</summary>
/// <remarks>TFLOPs quantities become doubles, VRAM quantities bytes; a missing amount is 0 (no clamp from it).
/// A missing QoS is medium-like (the request follows the lower bound), as upstream treats an empty QoS.</remarks>
public static class WorkloadMapping
{
    public static MappedWorkload Map(TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var spec = workload.Spec;
        var autoScaling = spec.AutoScalingConfig;
        var status = workload.Status;
        return new MappedWorkload(
            $"{workload.Metadata.NamespaceProperty ?? "default"}/{workload.Metadata.Name}",
            Resources(spec.Resources),
            status?.Recommendation is { } recommendation ? Resources(recommendation) : null,
            Qos(spec.Qos),
            Settings(autoScaling?.AutoSetResources),
            autoScaling?.CronScalingRules?.Select(Rule).ToList() ?? [],
            status?.ActiveCronScalingRule is { } recorded ? Rule(recorded) : null,
            workload.Metadata.CreationTimestamp is { } created ? Utc(created) : null);
    }

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());

    public static WorkloadResources Resources(GpuResourceRequirements? resources) =>
        new(Amount(resources?.Requests), Amount(resources?.Limits));

    private static ResourceAmount Amount(GpuResourceAmount? amount) =>
        new(Number(amount?.Tflops), Number(amount?.Vram));

    private static double Number(ResourceQuantity? quantity) => quantity is null ? 0 : (double)quantity.ToDecimal();

    private static QosLevel Qos(ApiQosLevel? qos) => qos switch
    {
        ApiQosLevel.Critical => QosLevel.Critical,
        ApiQosLevel.High => QosLevel.High,
        ApiQosLevel.Low => QosLevel.Low,
        _ => QosLevel.Medium,
    };

    private static CronScalingRule Rule(ApiCronScalingRule rule) =>
        new(rule.Enable ?? false, rule.Name, rule.Start, rule.End, Resources(rule.DesiredResources), rule.TimeZone);

    private static AutoSetResourcesSettings? Settings(TensorFusion.Api.Autoscaling.AutoSetResources? settings) => settings is null
        ? null
        : new AutoSetResourcesSettings
        {
            Enable = settings.Enable ?? false,
            TargetResource = settings.TargetResource switch
            {
                ApiTargetResource.Compute => "compute",
                ApiTargetResource.Vram => "vram",
                ApiTargetResource.All => "all",
                _ => null,
            },
            TargetComputePercentile = settings.TargetComputePercentile,
            LowerBoundComputePercentile = settings.LowerBoundComputePercentile,
            UpperBoundComputePercentile = settings.UpperBoundComputePercentile,
            TargetVramPercentile = settings.TargetVramPercentile,
            LowerBoundVramPercentile = settings.LowerBoundVramPercentile,
            UpperBoundVramPercentile = settings.UpperBoundVramPercentile,
            MarginFraction = settings.MarginFraction,
            UpdateThreshold = settings.UpdateThreshold,
            HistoryDataPeriod = settings.HistoryDataPeriod,
            MinVramResourcesRatio = settings.MinVramResourcesRatio,
            MaxVramResourcesRatio = settings.MaxVramResourcesRatio,
            MinComputeResourcesRatio = settings.MinComputeResourcesRatio,
            MaxComputeResourcesRatio = settings.MaxComputeResourcesRatio,
            InitialDelayPeriod = settings.InitialDelayPeriod,
            Interval = settings.Interval,
            ConfidenceInterval = settings.ConfidenceInterval,
        };
}
