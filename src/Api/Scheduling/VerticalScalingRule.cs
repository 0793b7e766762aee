using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Autoscaling;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Scheduling;

/// <summary>
/// Autoscaling applied to pods matching <see cref="Selector"/>; the first matching rule is merged into the
/// workload's autoScalingConfig at admission.
/// </summary>
public sealed class VerticalScalingRule
{
    [JsonPropertyName("name")]
    [MaxLength(128)]
    public string? Name { get; set; }

    [JsonPropertyName("selector")]
    [Description("Label selector on pod labels.")]
    public V1LabelSelector? Selector { get; set; }

    [JsonPropertyName("autoScaling")]
    public AutoScalingConfig? AutoScaling { get; set; }
}
