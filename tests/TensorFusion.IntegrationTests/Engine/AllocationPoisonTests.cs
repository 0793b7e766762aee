using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>Finding 2 of issue 14: "1e400" or "99999999999Ei" on one worker must not stop allocation for everybody.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class AllocationPoisonTests
{
    [Theory]
    [InlineData("1e400")]
    [InlineData("99999999999Ei")]
    public async Task PoisonWorker_AbsurdTflops_UnschedulableWithReasonWhileValidWorkloadRuns(string tflops)
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        // A worker pod as a laxer API server could hold it: our scheduler, the workload label, an absurd request.
        await engine.Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Pods.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "poison-w-0",
                ["labels"] = new JsonObject { [Labels.Workload] = "poison" },
                ["annotations"] = new JsonObject { [Annotations.GpuPool] = EngineCluster.Pool, [Annotations.TflopsRequest] = tflops, [Annotations.VramRequest] = "1Gi" },
            },
            ["spec"] = new JsonObject
            {
                ["schedulerName"] = WorkerRequestMapper.SchedulerName,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "tensorfusion/worker:test" }),
            },
        }, CancellationToken.None);
        await engine.CreateWorkloadAsync("ok", replicas: 2, tflops: "5", vram: "1Gi");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("ok").Count == 2, "the valid workload's two workers run beside the poison worker");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, pods => pods.Get(OperatorCluster.Namespace, "poison-w-0")?.Status?.Conditions?
            .Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Message?.Contains($"'{tflops}'", StringComparison.Ordinal) == true) == true,
            "the poison worker is unschedulable with a reason naming its value");
        var metrics = await op.ScrapeAsync();
        Assert.Contains($"tensorfusion_allocation_decisions_total{{pool=\"{EngineCluster.Pool}\",result=\"placed\"}} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_allocation_batch_failures_total 0", metrics, StringComparison.Ordinal);
    }
}
