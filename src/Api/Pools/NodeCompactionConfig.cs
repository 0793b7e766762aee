using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Reclaiming empty nodes and optional defragmentation.</summary>
public sealed class NodeCompactionConfig
{
    [JsonPropertyName("period")]
    [DurationString]
    [DefaultValue("5m")]
    public string? Period { get; set; }

    [JsonPropertyName("defrag")]
    public DefragConfig? Defrag { get; set; }
}
