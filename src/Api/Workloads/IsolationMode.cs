using System.Text.Json.Serialization;

namespace TensorFusion.Api.Workloads;

/// <summary>
/// How a worker shares its GPU: <c>shared</c> takes a whole idle GPU with time slicing and no limits, <c>soft</c>
/// (default) is rate-limited and oversubscribable, <c>hard</c> applies a one-time SM/memory limit at start,
/// <c>partitioned</c> uses a hardware partition such as NVIDIA MIG.
/// </summary>
public enum IsolationMode
{
    [JsonStringEnumMemberName("shared")]
    Shared,

    [JsonStringEnumMemberName("soft")]
    Soft,

    [JsonStringEnumMemberName("hard")]
    Hard,

    [JsonStringEnumMemberName("partitioned")]
    Partitioned,
}
