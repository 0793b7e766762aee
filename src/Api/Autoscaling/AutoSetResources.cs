using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Autoscaling;

/// <summary>
/// Percentile recommender settings (upstream <c>AutoSetResources</c>). Numbers are strings on the wire, as upstream
/// has them. Unset fields take the coded defaults in <see cref="AutoSetResourcesDefaults"/>, which differ from the
/// ones upstream documents (see docs/api.md).
/// </summary>
[ValidationRule("!has(self.updateThreshold) || !has(self.marginFraction) || double(self.updateThreshold) <= double(self.marginFraction)",
    "updateThreshold must not exceed marginFraction", ManifestValidatorRule = "UpdateThresholdWithinMargin")]
public sealed class AutoSetResources
{
    [JsonPropertyName("enable")]
    [Description("Turns the percentile recommender on.")]
    public bool? Enable { get; set; }

    [JsonPropertyName("targetResource")]
    [Description("Resources changed in place: compute, vram or all. Empty only records recommendations in status.")]
    public TargetResource? TargetResource { get; set; }

    [JsonPropertyName("targetComputePercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of TFLOPs usage for the target recommendation (default 0.95).")]
    public string? TargetComputePercentile { get; set; }

    [JsonPropertyName("lowerBoundComputePercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of TFLOPs usage for the lower bound (default 0.5).")]
    public string? LowerBoundComputePercentile { get; set; }

    [JsonPropertyName("upperBoundComputePercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of TFLOPs usage for the upper bound (default 0.99).")]
    public string? UpperBoundComputePercentile { get; set; }

    [JsonPropertyName("targetVRAMPercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of VRAM usage for the target recommendation (default 0.98).")]
    public string? TargetVramPercentile { get; set; }

    [JsonPropertyName("lowerBoundVRAMPercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of VRAM usage for the lower bound (default 0.5).")]
    public string? LowerBoundVramPercentile { get; set; }

    [JsonPropertyName("upperBoundVRAMPercentile")]
    [NumericString(0, 1)]
    [Description("Percentile of VRAM usage for the upper bound (default 0.99).")]
    public string? UpperBoundVramPercentile { get; set; }

    [JsonPropertyName("marginFraction")]
    [NumericString(0, 10)]
    [Description("Fraction added on top of each estimate (default 0.15).")]
    public string? MarginFraction { get; set; }

    [JsonPropertyName("updateThreshold")]
    [NumericString(0, 10)]
    [Description("Minimum relative change before a recommendation is applied (default 0.1); must not exceed marginFraction.")]
    public string? UpdateThreshold { get; set; }

    [JsonPropertyName("historyDataPeriod")]
    [DurationString]
    [Description("Usage history considered (default 2h, at most 720h).")]
    public string? HistoryDataPeriod { get; set; }

    [JsonPropertyName("minVRAMResourcesRatio")]
    [NumericString(0, 1000)]
    [Description("Lowest VRAM recommendation as a multiple of the original (default 0.2).")]
    public string? MinVramResourcesRatio { get; set; }

    [JsonPropertyName("maxVRAMResourcesRatio")]
    [NumericString(0, 1000)]
    [Description("Highest VRAM recommendation as a multiple of the original (default 5.0).")]
    public string? MaxVramResourcesRatio { get; set; }

    [JsonPropertyName("minComputeResourcesRatio")]
    [NumericString(0, 1000)]
    [Description("Lowest TFLOPs request as a multiple of the original (default 0.1).")]
    public string? MinComputeResourcesRatio { get; set; }

    [JsonPropertyName("maxComputeResourcesRatio")]
    [NumericString(0, 1000)]
    [Description("Highest TFLOPs recommendation as a multiple of the original (default 10.0).")]
    public string? MaxComputeResourcesRatio { get; set; }

    [JsonPropertyName("initialDelayPeriod")]
    [DurationString]
    [Description("Time after workload creation before the first recommendation (default 30m).")]
    public string? InitialDelayPeriod { get; set; }

    [JsonPropertyName("interval")]
    [DurationString]
    [Description("Evaluation interval (default: the engine's autoscaling interval).")]
    public string? Interval { get; set; }

    [JsonPropertyName("confidenceInterval")]
    [DurationString]
    [Description("Not upstream. When set, estimates are widened while less history than this is available; off by default.")]
    public string? ConfidenceInterval { get; set; }
}
