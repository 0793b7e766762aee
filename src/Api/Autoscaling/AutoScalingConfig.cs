using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Autoscaling;

/// <summary>Vertical autoscaling of a workload's per-worker resources: percentile, cron and external recommenders.</summary>
public sealed class AutoScalingConfig
{
    [JsonPropertyName("autoSetResources")]
    [Description("Percentile-based recommendations from observed usage, optionally applied in place.")]
    public AutoSetResources? AutoSetResources { get; set; }

    [JsonPropertyName("cronScalingRules")]
    [MaxItems(16)]
    [Description("Scheduled resource windows; at most one may be active at a time.")]
    public List<CronScalingRule>? CronScalingRules { get; set; }

    [JsonPropertyName("externalScaler")]
    [Description("An HTTP recommender the engine asks for resources.")]
    public ExternalScalerConfig? ExternalScaler { get; set; }
}
