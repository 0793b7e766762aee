using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>
/// Desired state of a TensorFusionWorkload, shared with WorkloadProfile (upstream <c>WorkloadProfileSpec</c>).
/// Resources are per worker and per GPU device.
/// </summary>
[ValidationRule("!has(self.gangScheduling) || !has(self.gangScheduling.minMembers) || self.gangScheduling.minMembers == 0 || !has(self.replicas) || self.gangScheduling.minMembers <= self.replicas",
    "gangScheduling.minMembers must not exceed replicas", ManifestValidatorRule = "GangMinMembersWithinReplicas")]
public sealed class WorkloadProfileSpec
{
    [JsonPropertyName("replicas")]
    [NumberRange(0, 10000)]
    [Description("If replicas not set, it will be dynamic based on pending Pod. If isLocalGPU set to true, replicas must be dynamic, and this field will be ignored.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("poolName")]
    [MaxLength(253)]
    [Description("Name of the GPUPool the workers are placed in.")]
    public string? PoolName { get; set; }

    [JsonPropertyName("resources")]
    [Description("Requests and limits of TFLOPs, VRAM and optional compute percent, per worker and per GPU.")]
    public GpuResourceRequirements? Resources { get; set; }

    [JsonPropertyName("qos")]
    [Description("Qos defines the quality of service level for the client. Allowed values: low, medium, high, critical.")]
    public QosLevel? Qos { get; set; }

    [JsonPropertyName("isLocalGPU")]
    [DefaultValue(false)]
    [Description("Schedule the workload to the same GPU server that runs vGPU worker for best performance, default to false.")]
    public bool? IsLocalGpu { get; set; }

    [JsonPropertyName("sidecarWorker")]
    [DefaultValue(false)]
    [Description("When set to sidecar worker mode, its always Local GPU mode, and hard-isolated with shared memory. Default to false, indicates the workload's embedded worker is same process, soft-isolated.")]
    public bool? SidecarWorker { get; set; }

    [JsonPropertyName("isolation")]
    [DefaultValue("soft")]
    [Description("GPU isolation mode: shared, soft, hard or partitioned.")]
    public IsolationMode? Isolation { get; set; }

    [JsonPropertyName("partitionTemplateId")]
    [MaxLength(128)]
    [Description("Partition template (e.g. a MIG profile) used when isolation is partitioned.")]
    public string? PartitionTemplateId { get; set; }

    [JsonPropertyName("gpuModel")]
    [MaxLength(128)]
    [Description("GPUModel specifies the required GPU model (e.g., \"A100\", \"H100\").")]
    public string? GpuModel { get; set; }

    [JsonPropertyName("gpuCount")]
    [NumberRange(1, 128)]
    [Description("The number of GPUs to be used by the workload, default to 1.")]
    public int? GpuCount { get; set; }

    [JsonPropertyName("gpuIndices")]
    [MaxItems(128)]
    [Description("Pin the workers to these GPU device indices; also sets gpuCount to the number of indices.")]
    public List<int>? GpuIndices { get; set; }

    [JsonPropertyName("vendor")]
    [MaxLength(64)]
    [Description("GPU vendor filter, e.g. NVIDIA.")]
    public string? Vendor { get; set; }

    [JsonPropertyName("autoScalingConfig")]
    [Description("AutoScalingConfig configured here will override Pool's schedulingConfig. This field can not be fully supported in annotation, if user want to enable auto-scaling in annotation, user can set tensor-fusion.ai/autoscale.")]
    public AutoScalingConfig? AutoScalingConfig { get; set; }

    [JsonPropertyName("nodeAffinity")]
    [Description("NodeAffinity specifies the node affinity requirements for the workload.")]
    public V1NodeAffinity? NodeAffinity { get; set; }

    [JsonPropertyName("workerPodTemplate")]
    [Description("WorkerPodTemplate is the template for the worker pod, only take effect in remote vGPU mode.")]
    public V1PodTemplateSpec? WorkerPodTemplate { get; set; }

    [JsonPropertyName("gangScheduling")]
    [Description("Gang scheduling: place all workers together or none.")]
    public GangSchedulingConfig? GangScheduling { get; set; }
}
