using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Quotas;

/// <summary>Available percent of TFLOPs and VRAM, as 2-decimal strings ("42.50").</summary>
public sealed class QuotaPercentPair
{
    [JsonPropertyName("tflops")]
    [MaxLength(16)]
    public string? Tflops { get; set; }

    [JsonPropertyName("vram")]
    [MaxLength(16)]
    public string? Vram { get; set; }
}
