using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Autoscaling;

/// <summary>An external HTTP recommender: the engine POSTs the workload's current resources and applies the answer.</summary>
public sealed class ExternalScalerConfig
{
    [JsonPropertyName("enable")]
    public bool? Enable { get; set; }

    [JsonPropertyName("url")]
    [MaxLength(2048)]
    [Pattern("^https?://", "an http:// or https:// URL")]
    public string? Url { get; set; }

    [JsonPropertyName("apiKeySecretRef")]
    [Description("Secret with the bearer key (tried under the keys apiKey, token, key).")]
    public V1SecretReference? ApiKeySecretRef { get; set; }

    [JsonPropertyName("initialDelayPeriod")]
    [DurationString]
    public string? InitialDelayPeriod { get; set; }

    [JsonPropertyName("interval")]
    [DurationString]
    public string? Interval { get; set; }
}
