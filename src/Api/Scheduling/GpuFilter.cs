using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Scheduling;

/// <summary>A named GPU filter with free-form parameters (declared upstream, not acted on there either).</summary>
public sealed class GpuFilter
{
    [JsonPropertyName("type")]
    [MaxLength(128)]
    public string? Type { get; set; }

    [JsonPropertyName("params")]
    [PreserveUnknownFields]
    public JsonObject? Params { get; set; }
}
