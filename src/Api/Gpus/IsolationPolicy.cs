using System.Text.Json.Serialization;

namespace TensorFusion.Api.Gpus;

/// <summary>Static: the node's isolation mode applies; Dynamic: the first allocation locks the GPU's mode.</summary>
public enum IsolationPolicy
{
    [JsonStringEnumMemberName("Static")]
    Static,

    [JsonStringEnumMemberName("Dynamic")]
    Dynamic,
}
