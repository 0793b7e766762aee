using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

/// <summary>Per-worker caps and the defaults applied to pods that set no resources.</summary>
public sealed class QuotaSingle
{
    [JsonPropertyName("maxRequests")]
    public GpuResourceAmount? MaxRequests { get; set; }

    [JsonPropertyName("maxLimits")]
    public GpuResourceAmount? MaxLimits { get; set; }

    [JsonPropertyName("maxGPUCount")]
    [NumberRange(1, 128)]
    public int? MaxGpuCount { get; set; }

    [JsonPropertyName("defaultRequests")]
    [Description("Requests given to pods that set none.")]
    public GpuResourceAmount? DefaultRequests { get; set; }

    [JsonPropertyName("defaultLimits")]
    [Description("Limits given to pods that set none.")]
    public GpuResourceAmount? DefaultLimits { get; set; }
}
