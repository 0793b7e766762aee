using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Scheduling;

/// <summary>Placement and autoscaling rules a pool refers to by name.</summary>
public sealed class SchedulingConfigTemplateSpec
{
    [JsonPropertyName("placement")]
    public PlacementConfig? Placement { get; set; }

    [JsonPropertyName("verticalScalingRules")]
    [MaxItems(64)]
    public List<VerticalScalingRule>? VerticalScalingRules { get; set; }

    [JsonPropertyName("reBalancer")]
    [PreserveUnknownFields]
    [Description("Carried as upstream defines it; not acted on.")]
    public JsonObject? ReBalancer { get; set; }

    [JsonPropertyName("hypervisor")]
    [PreserveUnknownFields]
    [Description("Node agent tuning (auto freeze, rate limiter parameters); carried as upstream defines it.")]
    public JsonObject? Hypervisor { get; set; }
}
