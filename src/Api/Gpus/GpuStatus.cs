using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Gpus;

/// <summary>
/// Observed state of one GPU device. The node agent writes identity and <see cref="Capacity"/>; the operator's
/// allocator owns <see cref="Available"/>, <see cref="RunningApps"/> and <see cref="AllocatedPartitions"/>.
/// </summary>
public sealed class GpuStatus
{
    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    public GpuPhase? Phase { get; set; }

    [JsonPropertyName("vendor")]
    [MaxLength(64)]
    [DefaultValue("NVIDIA")]
    public string? Vendor { get; set; }

    [JsonPropertyName("model")]
    [MaxLength(128)]
    [Description("Short model name, e.g. A100_SXM_80G, matched against the GPU catalogue.")]
    public string? Model { get; set; }

    [JsonPropertyName("gpuModel")]
    [MaxLength(128)]
    public string? GpuModel { get; set; }

    [JsonPropertyName("capacity")]
    [Description("Physical TFLOPs and VRAM of the device.")]
    public GpuResourceAmount? Capacity { get; set; }

    [JsonPropertyName("available")]
    [Description("Capacity minus the requests of all allocations on the device.")]
    public GpuResourceAmount? Available { get; set; }

    [JsonPropertyName("uuid")]
    [MaxLength(128)]
    public string? Uuid { get; set; }

    [JsonPropertyName("index")]
    [NumberRange(0, 1024)]
    public int? Index { get; set; }

    [JsonPropertyName("numaNode")]
    [NumberRange(-1, 1024)]
    [Description("NUMA node of the device; -1 when unknown.")]
    public int? NumaNode { get; set; }

    [JsonPropertyName("isolationMode")]
    [DefaultValue("soft")]
    public IsolationMode? IsolationMode { get; set; }

    [JsonPropertyName("isolationPolicy")]
    public IsolationPolicy? IsolationPolicy { get; set; }

    [JsonPropertyName("activeIsolationMode")]
    [Description("Mode locked by the first allocation under the Dynamic policy; empty without allocations.")]
    public IsolationMode? ActiveIsolationMode { get; set; }

    [JsonPropertyName("dynamicIsolationConflict")]
    public bool? DynamicIsolationConflict { get; set; }

    [JsonPropertyName("nodeSelector")]
    [MaxProperties(16, ValueMaxLength = 253)]
    [Description("Selects the device's node; contains kubernetes.io/hostname.")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("usedBy")]
    public GpuUsedBy? UsedBy { get; set; }

    [JsonPropertyName("message")]
    [MaxLength(32768)]
    public string? Message { get; set; }

    [JsonPropertyName("runningApps")]
    [MaxItems(1024)]
    public List<RunningApp>? RunningApps { get; set; }

    [JsonPropertyName("nvLink")]
    public NvLinkInfo? NvLink { get; set; }

    [JsonPropertyName("allocatedPartitions")]
    [MaxProperties(64, KeyMaxLength = 64)]
    [Description("Hardware partitions on the device, keyed by pod UID.")]
    public Dictionary<string, AllocatedPartition>? AllocatedPartitions { get; set; }
}
