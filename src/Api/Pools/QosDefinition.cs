using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Pools;

/// <summary>A QoS level as the pool describes and ranks it.</summary>
public sealed class QosDefinition
{
    [JsonPropertyName("name")]
    public QosLevel? Name { get; set; }

    [JsonPropertyName("description")]
    [MaxLength(1024)]
    public string? Description { get; set; }

    [JsonPropertyName("priority")]
    [NumberRange(1, 100)]
    public int? Priority { get; set; }
}
