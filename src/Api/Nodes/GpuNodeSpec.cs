using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Nodes;

/// <summary>Desired state of a GPU node.</summary>
public sealed class GpuNodeSpec
{
    [JsonPropertyName("manageMode")]
    [DefaultValue("AutoSelect")]
    public NodeManageMode? ManageMode { get; set; }

    [JsonPropertyName("costPerHour")]
    [MaxLength(32)]
    public string? CostPerHour { get; set; }

    [JsonPropertyName("gpuCardIndices")]
    [MaxItems(128)]
    [Description("Device indices the engine manages; empty means all.")]
    public List<int>? GpuCardIndices { get; set; }

    [JsonPropertyName("cloudVendorParam")]
    [MaxLength(4096)]
    public string? CloudVendorParam { get; set; }
}
