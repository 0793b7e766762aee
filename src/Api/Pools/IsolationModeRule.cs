using System.Text.Json.Serialization;
using k8s.Models;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Pools;

/// <summary>Nodes matching <see cref="Selector"/> run in <see cref="Mode"/>; the first matching rule wins.</summary>
public sealed class IsolationModeRule
{
    [JsonPropertyName("mode")]
    public IsolationMode? Mode { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector? Selector { get; set; }
}
