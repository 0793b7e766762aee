using System.Text.Json.Serialization;

namespace TensorFusion.Api.Workloads;

/// <summary>Progress of a gang (default Pending).</summary>
public enum GangSchedulingPhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Waiting")]
    Waiting,

    [JsonStringEnumMemberName("Scheduling")]
    Scheduling,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("TimedOut")]
    TimedOut,

    [JsonStringEnumMemberName("Failed")]
    Failed,
}
