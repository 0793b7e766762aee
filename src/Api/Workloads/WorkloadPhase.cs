using System.Text.Json.Serialization;

namespace TensorFusion.Api.Workloads;

/// <summary>Phase of a TensorFusionWorkload (default Pending).</summary>
public enum WorkloadPhase
{
    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Running")]
    Running,

    [JsonStringEnumMemberName("Failed")]
    Failed,

    [JsonStringEnumMemberName("Unknown")]
    Unknown,
}
