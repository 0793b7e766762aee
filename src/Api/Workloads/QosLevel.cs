using System.Text.Json.Serialization;

namespace TensorFusion.Api.Workloads;

/// <summary>Quality of service of a workload: priority class, pricing and how aggressively the autoscaler requests.</summary>
public enum QosLevel
{
    [JsonStringEnumMemberName("low")]
    Low,

    [JsonStringEnumMemberName("medium")]
    Medium,

    [JsonStringEnumMemberName("high")]
    High,

    [JsonStringEnumMemberName("critical")]
    Critical,
}
