using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Pools;

/// <summary>Price of one QoS level; limits above requests cost <see cref="LimitsOverRequests"/> times the request rate.</summary>
public sealed class QosPricing
{
    [JsonPropertyName("qos")]
    public QosLevel? Qos { get; set; }

    [JsonPropertyName("requests")]
    public QosPricingRates? Requests { get; set; }

    [JsonPropertyName("limitsOverRequests")]
    [NumericString(0, 1000)]
    [DefaultValue("1")]
    public string? LimitsOverRequests { get; set; }
}
