using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Upstream's gang status, derived from the workers alone (level-based, like the rest of the status): failed workers →
/// <c>Failed</c>; all desired ready → <c>Running</c>; at least the quorum bound → <c>Scheduling</c>; a member reported past
/// the gang's timeout → <c>TimedOut</c>; members parked for want of peers → <c>Waiting</c>; otherwise <c>Pending</c>.
/// Any phase but Running and Failed holds the workload <c>Pending</c> with the gang's reason.
/// </summary>
public static class GangStatusRules
{
    /// <summary>The gang's status, or null when the workload is no gang (no gangScheduling, or fewer than 2 replicas).</summary>
    public static GangSchedulingStatus? Derive(TensorFusionWorkload workload, IReadOnlyCollection<V1Pod> workers, DateTime now)
    {
        var desired = workload.Spec.Replicas ?? 0;
        if (workload.Spec.GangScheduling is not { } gang || desired < 2)
        {
            return null;
        }

        var required = gang.MinMembers is >= 2 and var min ? Math.Min(min, desired) : desired;
        var ready = workers.Count(WorkerPods.IsReady);
        var bound = workers.Count(pod => !string.IsNullOrEmpty(pod.Spec?.NodeName));
        var unschedulable = workers.Select(UnschedulableMessage).OfType<string>().ToArray();
        var (phase, reason, message) = (workers.Count(WorkerPods.IsFailed), ready, bound) switch
        {
            ( > 0 and var failed, _, _) => (GangSchedulingPhase.Failed, ConditionReasons.GangWorkerFailed, $"{failed} gang member(s) failed"),
            (_, var r, _) when r >= desired => (GangSchedulingPhase.Running, ConditionReasons.GangReady, $"all {desired} members are ready"),
            (_, _, var b) when b >= required => (GangSchedulingPhase.Scheduling, ConditionReasons.GangQuorumSatisfied, $"{b} of {required} required members are placed"),
            _ when unschedulable.FirstOrDefault(m => m.StartsWith(GangBatching.TimedOutPrefix, StringComparison.Ordinal)) is { } timedOut =>
                (GangSchedulingPhase.TimedOut, ConditionReasons.GangTimedOut, timedOut[GangBatching.TimedOutPrefix.Length..].Trim()),
            _ when unschedulable.FirstOrDefault(m => m.Contains(GangBatching.WaitingMarker, StringComparison.Ordinal)) is { } waiting =>
                (GangSchedulingPhase.Waiting, ConditionReasons.GangWaitingForMembers, waiting),
            _ when unschedulable.Length > 0 => (GangSchedulingPhase.Waiting, ConditionReasons.GangMemberUnschedulable, unschedulable[0]),
            _ => (GangSchedulingPhase.Pending, ConditionReasons.GangPending, $"{bound} of {required} required members are placed"),
        };

        return new GangSchedulingStatus
        {
            Phase = phase,
            GroupKey = $"{workload.Metadata.NamespaceProperty ?? "default"}/{workload.Metadata.Name}",
            DesiredMembers = desired,
            WaitingMembers = workers.Count - bound,
            ScheduledMembers = bound,
            ReadyMembers = ready,
            Reason = reason,
            Message = message,
            LastTransitionTime = now,
        };
    }

    /// <summary>The workload's readiness with the gang's phase over it: only a Running or Failed gang leaves it as derived.</summary>
    public static Readiness Apply(Readiness derived, GangSchedulingStatus? gang) =>
        gang?.Phase switch
        {
            null or GangSchedulingPhase.Running => derived,
            GangSchedulingPhase.Failed => new Readiness(WorkloadPhase.Failed, false, gang.Reason!, gang.Message!),
            _ => new Readiness(WorkloadPhase.Pending, false, gang.Reason!, gang.Message!),
        };

    private static string? UnschedulableMessage(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c is { Type: "PodScheduled", Status: "False" })?.Message;
}
