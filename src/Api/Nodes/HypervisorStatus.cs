using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Nodes;

/// <summary>Liveness of the node agent.</summary>
public sealed class HypervisorStatus
{
    [JsonPropertyName("hypervisorState")]
    [MaxLength(64)]
    public string? HypervisorState { get; set; }

    [JsonPropertyName("hypervisorVersion")]
    [MaxLength(64)]
    public string? HypervisorVersion { get; set; }

    [JsonPropertyName("lastHeartbeatTime")]
    public DateTime? LastHeartbeatTime { get; set; }
}
