using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Pools;

/// <summary>Rollout state of each component: the template hash in use, whether all nodes run it, and progress in percent.</summary>
public sealed class PoolComponentStatus
{
    [JsonPropertyName("worker")]
    [MaxLength(128)]
    public string? Worker { get; set; }

    [JsonPropertyName("workerConfigSynced")]
    public bool? WorkerConfigSynced { get; set; }

    [JsonPropertyName("workerUpdateProgress")]
    [NumberRange(0, 100)]
    public int? WorkerUpdateProgress { get; set; }

    [JsonPropertyName("hypervisor")]
    [MaxLength(128)]
    public string? Hypervisor { get; set; }

    [JsonPropertyName("hypervisorConfigSynced")]
    public bool? HypervisorConfigSynced { get; set; }

    [JsonPropertyName("hypervisorUpdateProgress")]
    [NumberRange(0, 100)]
    public int? HypervisorUpdateProgress { get; set; }

    [JsonPropertyName("client")]
    [MaxLength(128)]
    public string? Client { get; set; }

    [JsonPropertyName("clientConfigSynced")]
    public bool? ClientConfigSynced { get; set; }

    [JsonPropertyName("clientUpdateProgress")]
    [NumberRange(0, 100)]
    public int? ClientUpdateProgress { get; set; }
}
