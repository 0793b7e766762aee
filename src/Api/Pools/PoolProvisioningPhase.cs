using System.Text.Json.Serialization;

namespace TensorFusion.Api.Pools;

public enum PoolProvisioningPhase
{
    [JsonStringEnumMemberName("None")]
    None,

    [JsonStringEnumMemberName("Initializing")]
    Initializing,

    [JsonStringEnumMemberName("Provisioning")]
    Provisioning,

    [JsonStringEnumMemberName("Completed")]
    Completed,
}
