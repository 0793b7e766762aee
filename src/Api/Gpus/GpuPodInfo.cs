using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Gpus;

/// <summary>A pod holding a share of a GPU, with what it requested and may use per GPU.</summary>
public sealed class GpuPodInfo
{
    [JsonPropertyName("name")]
    [MaxLength(253)]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    [MaxLength(63)]
    public string? Namespace { get; set; }

    [JsonPropertyName("uid")]
    [MaxLength(64)]
    public string? Uid { get; set; }

    [JsonPropertyName("requests")]
    public GpuResourceAmount? Requests { get; set; }

    [JsonPropertyName("limits")]
    public GpuResourceAmount? Limits { get; set; }

    [JsonPropertyName("qos")]
    public QosLevel? Qos { get; set; }

    [JsonPropertyName("isExternal")]
    public bool? IsExternal { get; set; }
}
