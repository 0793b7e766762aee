using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Plans;
using TensorFusion.IntegrationTests.Operator;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>The operator's allocation wiring end to end: workload → worker pods → GPUs → bound, Running → agents apply plans.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class OperatorAllocationTests
{
    [Fact]
    public async Task Workload_TwoReplicas_WorkersGetGpusRunAndAgentAppliesPlan()
    {
        await using var engine = await EngineCluster.StartAsync();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await using var op = engine.StartOperator(out var started);
        var pipeline = await started.WaitAsync(OperatorCluster.Wait);

        await engine.Cluster.CreateWorkloadAsync("w", EngineCluster.Pool, replicas: 2);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w").Count == 2, "both workers run");
        var workers = engine.RunningWorkers("w");
        Assert.All(workers, pod =>
        {
            Assert.Equal(OperatorCluster.NodeName, pod.Spec.NodeName);
            Assert.StartsWith("gpu-sim-node-1-", pod.Metadata.Annotations[Annotations.GpuIds], StringComparison.Ordinal);
        });

        // The agent acknowledged the newest plan and applied both workers' limits (10 of 989 TFLOPs → 2 %).
        var pushed = pipeline.Agents.AckOf(OperatorCluster.NodeName)!.PushedGeneration;
        var ack = await pipeline.Agents.WaitAcknowledgedAsync(OperatorCluster.NodeName, pushed, CancellationToken.None).WaitAsync(OperatorCluster.Wait);
        Assert.Equal(PlanApplyResult.Applied, ack.LastResult);
        var applied = agent.Applier.Status;
        Assert.True(applied.ObservedGeneration >= pushed);
        Assert.Equal(workers.Select(pod => pod.Metadata.Name).Order(), applied.Allocations.Where(a => a.State == AllocationState.Applied).Select(a => a.Worker).Order());
        Assert.Contains("tensorfusion_allocation_decisions_total{pool=\"pool-a\",result=\"placed\"} 2", await op.ScrapeAsync(), StringComparison.Ordinal);
    }
}
