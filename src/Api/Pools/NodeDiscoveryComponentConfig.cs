using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>The node discovery job that probes a node's GPUs.</summary>
public sealed class NodeDiscoveryComponentConfig
{
    [JsonPropertyName("image")]
    [MaxLength(512)]
    public string? Image { get; set; }

    [JsonPropertyName("podTemplate")]
    public V1PodTemplateSpec? PodTemplate { get; set; }
}
