using System.Text.Json.Serialization;

namespace TensorFusion.Api.Nodes;

public enum GpuNodePhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Provisioning")]
    Provisioning,

    [JsonStringEnumMemberName("Migrating")]
    Migrating,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("Failed")]
    Failed,

    [JsonStringEnumMemberName("Unknown")]
    Unknown,

    [JsonStringEnumMemberName("Destroying")]
    Destroying,
}
