using System.Text.Json.Serialization;

namespace TensorFusion.Api.Pools;

/// <summary>Templates of the components the engine runs for the pool.</summary>
public sealed class ComponentConfig
{
    [JsonPropertyName("worker")]
    public WorkerComponentConfig? Worker { get; set; }

    [JsonPropertyName("hypervisor")]
    public HypervisorComponentConfig? Hypervisor { get; set; }

    [JsonPropertyName("nodeDiscovery")]
    public NodeDiscoveryComponentConfig? NodeDiscovery { get; set; }

    [JsonPropertyName("client")]
    public ClientComponentConfig? Client { get; set; }
}
