using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>Observed state of a TensorFusionWorkload.</summary>
public sealed class TensorFusionWorkloadStatus
{
    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    [Description("Phase of the workload: Pending, Running, Failed or Unknown.")]
    public WorkloadPhase? Phase { get; set; }

    [JsonPropertyName("conditions")]
    [MaxItems(32)]
    [Description("Represents the latest available observations of the workload's current state.")]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("workerCount")]
    [NumberRange(0, 100000)]
    [Description("workerCount is the number of vGPU workers.")]
    public int? WorkerCount { get; set; }

    [JsonPropertyName("readyWorkers")]
    [NumberRange(0, 100000)]
    [Description("readyWorkers is the number of vGPU workers ready.")]
    public int? ReadyWorkers { get; set; }

    [JsonPropertyName("podTemplateHash")]
    [MaxLength(64)]
    [Description("Hash of the pod template used to create worker pods.")]
    public string? PodTemplateHash { get; set; }

    [JsonPropertyName("recommendation")]
    [Description("The most recently GPU resources recommended by the autoscaler.")]
    public GpuResourceRequirements? Recommendation { get; set; }

    [JsonPropertyName("appliedRecommendedReplicas")]
    [NumberRange(0, 100000)]
    [Description("The number of replicas currently applied based on the latest recommendation.")]
    public int? AppliedRecommendedReplicas { get; set; }

    [JsonPropertyName("activeCronScalingRule")]
    [Description("The currently active cron scaling rule.")]
    public CronScalingRule? ActiveCronScalingRule { get; set; }

    [JsonPropertyName("observedGeneration")]
    [NumberRange(0, long.MaxValue)]
    [Description("The metadata.generation this status was computed from.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("gang")]
    [Description("Gang scheduling progress, when gang scheduling applies.")]
    public GangSchedulingStatus? Gang { get; set; }
}
