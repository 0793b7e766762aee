using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Scheduling;

/// <summary>Placement strategy of the batch allocator.</summary>
public sealed class PlacementConfig
{
    [JsonPropertyName("mode")]
    [DefaultValue("NodeCompactGPULowLoad")]
    public PlacementMode? Mode { get; set; }

    [JsonPropertyName("allowUsingLocalGPU")]
    [DefaultValue(true)]
    public bool? AllowUsingLocalGpu { get; set; }

    [JsonPropertyName("gpuFilters")]
    [MaxItems(16)]
    public List<GpuFilter>? GpuFilters { get; set; }
}
