using System.Text.Json.Serialization;
using k8s.Models;

namespace TensorFusion.Api.Nodes;

/// <summary>Host memory and data disk, the sources of VRAM oversubscription.</summary>
public sealed class NodeHostInfo
{
    [JsonPropertyName("ramSize")]
    public ResourceQuantity? RamSize { get; set; }

    [JsonPropertyName("dataDiskSize")]
    public ResourceQuantity? DataDiskSize { get; set; }
}
