using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Pools;

/// <summary>The pool's QoS levels, default level and pricing.</summary>
public sealed class QosConfig
{
    [JsonPropertyName("definitions")]
    [MaxItems(4)]
    public List<QosDefinition>? Definitions { get; set; }

    [JsonPropertyName("defaultQoS")]
    [Description("QoS of workloads that set none and whose requests differ from their limits.")]
    public QosLevel? DefaultQos { get; set; }

    [JsonPropertyName("pricing")]
    [MaxItems(4)]
    public List<QosPricing>? Pricing { get; set; }

    [JsonPropertyName("evictionProtectionPriceRatio")]
    [NumericString(0, 1000)]
    [DefaultValue("1.2")]
    [Description("Price multiplier while a worker is protected from eviction.")]
    public string? EvictionProtectionPriceRatio { get; set; }
}
