using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>All-or-nothing placement of a workload's workers (upstream <c>GangSchedulingConfig</c>).</summary>
[ValidationRule("!has(self.minMembers) || self.minMembers == 0 || self.minMembers >= 2",
    "minMembers must be 0 (all desired replicas) or at least 2", ManifestValidatorRule = "GangMinMembersZeroOrAtLeastTwo")]
public sealed class GangSchedulingConfig
{
    [JsonPropertyName("minMembers")]
    [NumberRange(0, 10000)]
    [Description("Quorum of workers that must be placeable together; 0 means all desired replicas.")]
    public int? MinMembers { get; set; }

    [JsonPropertyName("timeout")]
    [DurationString]
    [Description("How long members wait for the quorum; empty or 0s waits indefinitely.")]
    public string? Timeout { get; set; }

    [JsonPropertyName("mode")]
    [DefaultValue("Strict")]
    [Description("Gang policy; only Strict is supported.")]
    public GangSchedulingMode? Mode { get; set; }
}
