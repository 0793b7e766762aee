using System.ComponentModel;
using System.Text.Json.Serialization;
using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Workloads;

/// <summary>Observed progress of a workload's gang (upstream <c>GangSchedulingStatus</c>).</summary>
public sealed class GangSchedulingStatus
{
    [JsonPropertyName("phase")]
    [DefaultValue("Pending")]
    public GangSchedulingPhase? Phase { get; set; }

    [JsonPropertyName("groupKey")]
    [MaxLength(512)]
    [Description("<namespace>/<workload> of the gang.")]
    public string? GroupKey { get; set; }

    [JsonPropertyName("desiredMembers")]
    [NumberRange(0, 100000)]
    public int? DesiredMembers { get; set; }

    [JsonPropertyName("waitingMembers")]
    [NumberRange(0, 100000)]
    public int? WaitingMembers { get; set; }

    [JsonPropertyName("scheduledMembers")]
    [NumberRange(0, 100000)]
    public int? ScheduledMembers { get; set; }

    [JsonPropertyName("readyMembers")]
    [NumberRange(0, 100000)]
    public int? ReadyMembers { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    [MaxLength(1024)]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    [MaxLength(32768)]
    public string? Message { get; set; }

    [JsonPropertyName("backoffUntil")]
    [MaxLength(64)]
    [Description("RFC 3339 time until which the gang is backed off.")]
    public string? BackoffUntil { get; set; }
}
