using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.IntegrationTests.Operator;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>Gangs through the operator: all-or-nothing placement in one batch decision, status, and no partial holds.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class GangSchedulingTests
{
    [Fact]
    public async Task TwoSixMemberGangs_EightGpus_OneRunsTheOtherWaitsHoldingNothingThenRuns()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 8);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        // Whole H100s (989 TFLOPs, 80 GiB): each gang needs 6 of the 8 GPUs.
        await engine.CreateWorkloadAsync("alpha", replicas: 6, tflops: "989", vram: "80Gi", extraSpec: Gang(minMembers: 0));
        await engine.CreateWorkloadAsync("beta", replicas: 6, tflops: "989", vram: "80Gi", extraSpec: Gang(minMembers: 0));

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods,
            _ => (engine.RunningWorkers("alpha").Count == 6 || engine.RunningWorkers("beta").Count == 6)
                 && engine.PendingWorkers("alpha").Count + engine.PendingWorkers("beta").Count == 6
                 && engine.Cluster.Pods.List().All(pod => pod.Status?.Phase == "Running" || HasUnschedulableReport(pod)),
            "one gang runs and every member of the other is reported unschedulable");
        var (winner, loser) = engine.RunningWorkers("alpha").Count == 6 ? ("alpha", "beta") : ("beta", "alpha");
        Assert.All(engine.Cluster.ActiveWorkers(loser), pod => Assert.True(string.IsNullOrEmpty(pod.Spec.NodeName), $"{pod.Metadata.Name} holds a node"));
        await engine.Cluster.WaitForWorkloadAsync(loser,
            workload => workload.Status?.Gang is { Phase: GangSchedulingPhase.Waiting, ScheduledMembers: 0 } && workload.Status.Phase == WorkloadPhase.Pending,
            "the losing gang reports Waiting with nothing scheduled");
        await engine.Cluster.WaitForWorkloadAsync(winner, workload => workload.Status?.Gang?.Phase == GangSchedulingPhase.Running, "the winning gang reports Running");

        await engine.Cluster.DeleteWorkloadAsync(winner);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers(loser).Count == 6, "the waiting gang runs once GPUs free");
        await engine.Cluster.WaitForWorkloadAsync(loser, workload => workload.Status?.Gang?.Phase == GangSchedulingPhase.Running, "the second gang reports Running");
    }

    [Fact]
    public async Task GangLargerThanTheCluster_WaitsWithReasonAndNoWorkerBound()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        await engine.CreateWorkloadAsync("big", replicas: 3, tflops: "989", vram: "80Gi", extraSpec: Gang(minMembers: 3));

        await engine.Cluster.WaitForWorkloadAsync("big",
            workload => workload.Status?.Gang is { Phase: GangSchedulingPhase.Waiting, Reason: ConditionReasons.GangWaitingForMembers or ConditionReasons.GangMemberUnschedulable } gang
                && gang.Message?.Contains("of 3 required", StringComparison.Ordinal) == true,
            "the gang reports why it waits");
        Assert.All(engine.Cluster.ActiveWorkers("big"), pod => Assert.True(string.IsNullOrEmpty(pod.Spec.NodeName)));
    }

    /// <summary>A gang spec; workers stop at once when deleted (the default 30 s grace would hold the GPUs that long, as on a real node).</summary>
    private static JsonObject Gang(int minMembers) => new()
    {
        ["gangScheduling"] = new JsonObject { ["minMembers"] = minMembers },
        ["workerPodTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["terminationGracePeriodSeconds"] = 0 } },
    };

    private static bool HasUnschedulableReport(k8s.Models.V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Status: "False" }) == true;
}
