using System.Text.Json.Serialization;

namespace TensorFusion.Api.Gpus;

/// <summary>Phase of a GPU; the allocator places only on Running GPUs.</summary>
public enum GpuPhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Provisioning")]
    Provisioning,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Unknown")]
    Unknown,

    [JsonStringEnumMemberName("Destroying")]
    Destroying,

    [JsonStringEnumMemberName("Migrating")]
    Migrating,
}
