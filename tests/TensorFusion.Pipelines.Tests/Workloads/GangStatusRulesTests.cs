using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class GangStatusRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Derive_NoGangOrOneReplica_Null()
    {
        Assert.Null(GangStatusRules.Derive(Workload(replicas: 4, minMembers: null), [], Now));
        Assert.Null(GangStatusRules.Derive(Workload(replicas: 1, minMembers: 0), [], Now));
    }

    [Fact]
    public void Derive_QuorumBoundNotAllReady_SchedulingAndWorkloadPending()
    {
        // minMembers 2 of 3 desired: 2 bound (1 ready) → Scheduling; the workload stays Pending with the gang's reason.
        var gang = GangStatusRules.Derive(Workload(3, 2), [Bound("w0", ready: true), Bound("w1", ready: false), Parked("w2", "0/1 nodes fit")], Now)!;

        Assert.Equal((GangSchedulingPhase.Scheduling, ConditionReasons.GangQuorumSatisfied, 2, 1, 1), (gang.Phase!.Value, gang.Reason, gang.ScheduledMembers!.Value, gang.ReadyMembers!.Value, gang.WaitingMembers!.Value));
        var readiness = GangStatusRules.Apply(new Readiness(WorkloadPhase.Pending, false, "x", "y"), gang);
        Assert.Equal((WorkloadPhase.Pending, ConditionReasons.GangQuorumSatisfied), (readiness.Phase, readiness.Reason));
    }

    [Fact]
    public void Derive_MembersParkedForPeers_Waiting()
    {
        var gang = GangStatusRules.Derive(Workload(2, 0), [Parked("w0", "gang default/g waits for members: 1 of 2 required are pending or placed")], Now)!;

        Assert.Equal((GangSchedulingPhase.Waiting, ConditionReasons.GangWaitingForMembers), (gang.Phase!.Value, gang.Reason));
    }

    [Fact]
    public void Derive_MemberPastTimeout_TimedOutWithoutThePrefix()
    {
        var message = $"{GangBatching.TimedOutPrefix} gang default/g waited longer than its timeout 00:05:00: only 1 of 2 fit";

        var gang = GangStatusRules.Derive(Workload(2, 0), [Parked("w0", message), Parked("w1", message)], Now)!;

        Assert.Equal(GangSchedulingPhase.TimedOut, gang.Phase);
        Assert.Equal("gang default/g waited longer than its timeout 00:05:00: only 1 of 2 fit", gang.Message);
    }

    [Fact]
    public void Derive_FailedMemberOrAllReady_FailedOrRunning()
    {
        var failed = new V1Pod { Metadata = new V1ObjectMeta { Name = "w1" }, Spec = new V1PodSpec { NodeName = "n" }, Status = new V1PodStatus { Phase = "Failed" } };

        Assert.Equal(GangSchedulingPhase.Failed, GangStatusRules.Derive(Workload(2, 0), [Bound("w0", true), failed], Now)!.Phase);
        Assert.Equal(GangSchedulingPhase.Running, GangStatusRules.Derive(Workload(2, 0), [Bound("w0", true), Bound("w1", true)], Now)!.Phase);
    }

    private static TensorFusionWorkload Workload(int replicas, int? minMembers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "g", NamespaceProperty = "default" },
        Spec = new WorkloadProfileSpec { Replicas = replicas, GangScheduling = minMembers is null ? null : new GangSchedulingConfig { MinMembers = minMembers } },
    };

    private static V1Pod Bound(string name, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { NodeName = "n" },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static V1Pod Parked(string name, string message) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec(),
        Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Message = message }] },
    };
}
