using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TensorFusion.Api.Pools;

/// <summary>Bounds and warm reserve of a pool's capacity, and its oversubscription.</summary>
public sealed class CapacityConfig
{
    [JsonPropertyName("minResources")]
    public PoolResourceAmount? MinResources { get; set; }

    [JsonPropertyName("maxResources")]
    public PoolResourceAmount? MaxResources { get; set; }

    [JsonPropertyName("warmResources")]
    [Description("Idle capacity kept ready for new workers.")]
    public PoolResourceAmount? WarmResources { get; set; }

    [JsonPropertyName("oversubscription")]
    public OversubscriptionConfig? Oversubscription { get; set; }
}
