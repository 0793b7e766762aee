using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

/// <summary>Namespace-wide caps; usage counts request × gpuCount per worker.</summary>
public sealed class QuotaTotal
{
    [JsonPropertyName("requests")]
    public GpuResourceAmount? Requests { get; set; }

    [JsonPropertyName("limits")]
    public GpuResourceAmount? Limits { get; set; }

    [JsonPropertyName("maxWorkers")]
    [NumberRange(0, 1000000)]
    [DefaultValue(32768)]
    public int? MaxWorkers { get; set; }

    [JsonPropertyName("alertThresholdPercent")]
    [NumberRange(0, 100)]
    [DefaultValue(95)]
    [Description("Usage percent above which the AlertThresholdReached condition is set.")]
    public int? AlertThresholdPercent { get; set; }
}
