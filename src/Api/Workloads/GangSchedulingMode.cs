using System.Text.Json.Serialization;

namespace TensorFusion.Api.Workloads;

/// <summary>Gang scheduling policy; upstream has only Strict (all members or none).</summary>
public enum GangSchedulingMode
{
    [JsonStringEnumMemberName("Strict")]
    Strict,
}
