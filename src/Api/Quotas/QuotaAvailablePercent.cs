using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

/// <summary>(total − used) / total × 100 for each capped resource, as 2-decimal strings.</summary>
public sealed class QuotaAvailablePercent
{
    [JsonPropertyName("requests")]
    public QuotaPercentPair? Requests { get; set; }

    [JsonPropertyName("limits")]
    public QuotaPercentPair? Limits { get; set; }

    [JsonPropertyName("workers")]
    [MaxLength(16)]
    public string? Workers { get; set; }
}
