using System.Text.Json.Serialization;

namespace TensorFusion.Api.Scheduling;

/// <summary>
/// How workers are spread: CompactFirst packs the fullest GPUs, LowLoadFirst picks the emptiest, and
/// NodeCompactGPULowLoad (default) packs nodes but spreads across GPUs within a node.
/// </summary>
public enum PlacementMode
{
    [JsonStringEnumMemberName("CompactFirst")]
    CompactFirst,

    [JsonStringEnumMemberName("LowLoadFirst")]
    LowLoadFirst,

    [JsonStringEnumMemberName("NodeCompactGPULowLoad")]
    NodeCompactGpuLowLoad,
}
