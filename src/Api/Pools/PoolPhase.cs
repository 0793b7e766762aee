using System.Text.Json.Serialization;

namespace TensorFusion.Api.Pools;

public enum PoolPhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Updating")]
    Updating,

    [JsonStringEnumMemberName("Destroying")]
    Destroying,

    [JsonStringEnumMemberName("Unknown")]
    Unknown,
}
