using System.Text.Json.Serialization;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

public sealed class QuotaUsage
{
    [JsonPropertyName("requests")]
    public GpuResourceAmount? Requests { get; set; }

    [JsonPropertyName("limits")]
    public GpuResourceAmount? Limits { get; set; }

    [JsonPropertyName("workers")]
    [NumberRange(0, 1000000)]
    public int? Workers { get; set; }
}
