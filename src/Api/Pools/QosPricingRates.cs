using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Hourly prices of requested resources, as strings with a currency sign (e.g. <c>"$0.0069228"</c>).</summary>
public sealed class QosPricingRates
{
    public const string PricePattern = @"^\D{0,3}[0-9]+(\.[0-9]+)?$";

    [JsonPropertyName("perFP16TFlopsPerHour")]
    [MaxLength(32)]
    [Pattern(PricePattern, "a price such as \"$0.0069228\"")]
    [DefaultValue("$0.0069228")]
    public string? PerFp16TflopsPerHour { get; set; }

    [JsonPropertyName("perGBOfVRAMPerHour")]
    [MaxLength(32)]
    [Pattern(PricePattern, "a price such as \"$0.01548\"")]
    [DefaultValue("$0.01548")]
    public string? PerGbOfVramPerHour { get; set; }
}
