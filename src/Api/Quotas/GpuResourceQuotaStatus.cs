using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

public sealed class GpuResourceQuotaStatus
{
    [JsonPropertyName("used")]
    public QuotaUsage? Used { get; set; }

    [JsonPropertyName("availablePercent")]
    public QuotaAvailablePercent? AvailablePercent { get; set; }

    [JsonPropertyName("conditions")]
    [MaxItems(32)]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("lastUpdateTime")]
    public DateTime? LastUpdateTime { get; set; }
}
