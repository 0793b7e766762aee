using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>The per-node agent (upstream hypervisor): images, port and pod template.</summary>
public sealed class HypervisorComponentConfig
{
    [JsonPropertyName("image")]
    [MaxLength(512)]
    public string? Image { get; set; }

    [JsonPropertyName("vectorImage")]
    [MaxLength(512)]
    public string? VectorImage { get; set; }

    [JsonPropertyName("portNumber")]
    [NumberRange(1, 65535)]
    [DefaultValue(8000)]
    public int? PortNumber { get; set; }

    [JsonPropertyName("enableVector")]
    public bool? EnableVector { get; set; }

    [JsonPropertyName("podTemplate")]
    public V1PodTemplateSpec? PodTemplate { get; set; }
}
