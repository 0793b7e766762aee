using System.Net;
using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Plans;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>Allocation under faults: an operator stopped between its writes, planted contradictions, an agent that is down.</summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class AllocationFaultTests
{
    [Fact]
    public async Task OperatorStoppedMidBatch_NewOperator_PlacesEveryWorkerOnceWithConsistentGpuStatus()
    {
        await using var engine = await EngineCluster.StartAsync();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);

        // The first operator's first bind goes through; every later bind fails, so it stops with workers decided but unbound.
        var faults = new FaultInjectingHandler();
        var binds = 0;
        var thirdBind = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.Intercept = request =>
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/binding", StringComparison.Ordinal))
            {
                return null;
            }

            var count = Interlocked.Increment(ref binds);
            if (count >= 3)
            {
                thirdBind.TrySetResult();
            }

            return count == 1 ? null : FaultInjectingHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        };
        var first = engine.StartOperator(out var firstStarted, faults: faults);
        await firstStarted.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("w", replicas: 3, tflops: "300", vram: "20Gi");
        await thirdBind.Task.WaitAsync(OperatorCluster.Wait);
        // The three binds of a batch run concurrently: the refused ones can return while the one let through is still in
        // flight, and stopping the operator then would cancel it (a legitimate outcome the rebuild handles, but not the
        // one this test is about). So the first bind must be visible before the stop, awaited on the test's watch.
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.Cluster.ActiveWorkers("w").Count(pod => !string.IsNullOrEmpty(pod.Spec.NodeName)) == 1,
            "the first operator's single bind");
        await first.StopAsync();
        await first.DisposeAsync();
        Assert.Single(engine.Cluster.ActiveWorkers("w"), pod => !string.IsNullOrEmpty(pod.Spec.NodeName));

        await using var second = engine.StartOperator(out var secondStarted);
        var pipeline = await secondStarted.WaitAsync(OperatorCluster.Wait);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w").Count == 3, "all three workers run");
        // Three 300-TFLOP workers on two 989-TFLOP GPUs: every worker counted once, in the allocator and in GPU status.
        var requested = engine.RunningWorkers("w")
            .GroupBy(pod => pod.Metadata.Annotations[Annotations.GpuIds])
            .ToDictionary(group => group.Key, group => group.Count() * 300m);
        Assert.Equal(3, pipeline.Read(state => state.Allocations.Count));
        await OperatorCluster.WaitUntilAsync(second.Operator.Inventory.Gpus, informer => informer.List() is { Count: 2 } all
            && all.All(gpu => gpu.Status?.Available?.Tflops?.ToDecimal() == 989m - requested.GetValueOrDefault(gpu.Metadata.Name)),
            "every GPU's status.available is its capacity less the requests of the workers on it");
        var pushed = pipeline.Agents.AckOf(OperatorCluster.NodeName)!.PushedGeneration;
        await pipeline.Agents.WaitAcknowledgedAsync(OperatorCluster.NodeName, pushed, CancellationToken.None).WaitAsync(OperatorCluster.Wait);
        Assert.Equal(3, agent.Applier.Status.Allocations.Count(a => a.State == AllocationState.Applied));
    }

    [Fact]
    public async Task Rebuild_PlantedOverCommitment_RaisesConflictNamingTheGpu()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        var gpus = await engine.Cluster.Direct.GetAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(), CancellationToken.None);
        var gpu = (string)gpus["items"]![0]!["metadata"]!["name"]!;

        // Two bound workers each recorded with 600 of the GPU's 989 TFLOPs: impossible, so the rebuild must say so.
        foreach (var name in new[] { "planted-0", "planted-1" })
        {
            await engine.Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Pods.CollectionPath(OperatorCluster.Namespace), PlantedWorker(name, gpu), CancellationToken.None);
        }

        var conflicts = new List<string>();
        var conflicted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var op = engine.StartOperator(out var started, configure: tensorFusion => tensorFusion.AllocationConflict += conflict =>
        {
            lock (conflicts)
            {
                conflicts.Add(conflict);
            }

            conflicted.TrySetResult();
        });
        await started.WaitAsync(OperatorCluster.Wait);
        await conflicted.Task.WaitAsync(OperatorCluster.Wait);

        lock (conflicts)
        {
            Assert.Contains(conflicts, conflict => conflict.Contains(gpu, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AgentDown_DuringPush_PlanConvergesWhenItIsBack()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await using var op = engine.StartOperator(out var started);
        var pipeline = await started.WaitAsync(OperatorCluster.Wait);
        await engine.StopAgentAsync(OperatorCluster.NodeName);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.Agents.Changed += ack =>
        {
            if (ack.Node == OperatorCluster.NodeName && ack.FailedAttempts >= 2 && !ack.Converged)
            {
                failed.TrySetResult();
            }
        };

        await engine.CreateWorkloadAsync("w", replicas: 1, tflops: "10", vram: "1Gi");

        // Placement does not wait for the agent: the worker runs, its plan push keeps failing.
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w").Count == 1, "the worker runs");
        await failed.Task.WaitAsync(OperatorCluster.Wait);
        var down = pipeline.Agents.AckOf(OperatorCluster.NodeName)!;
        Assert.False(down.Converged);
        Assert.NotNull(down.LastError);

        // Back on another port: it re-publishes its endpoint and the next retry reaches it.
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName);

        var ack = await pipeline.Agents.WaitAcknowledgedAsync(OperatorCluster.NodeName, down.PushedGeneration, CancellationToken.None).WaitAsync(OperatorCluster.Wait);
        Assert.True(ack.Converged);
        Assert.Equal(0, ack.FailedAttempts);
        var applied = Assert.Single(agent.Applier.Status.Allocations);
        Assert.Equal((engine.RunningWorkers("w")[0].Metadata.Name, AllocationState.Applied), (applied.Worker, applied.State));
    }

    [Fact]
    public async Task LeaderPartitioned_StandbyRebuildsAndPlacesAgainstWhatIsAlreadyAllocated()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        var options = OperatorCluster.WithFastLeaderElection(EngineCluster.FastOptions());
        await using var first = engine.StartOperator(out var firstStarted, options with { Identity = "first" });
        await firstStarted.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("w1", replicas: 2, tflops: "300", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w1").Count == 2, "the leader places w1");
        await using var second = engine.StartOperator(out var secondStarted, options with { Identity = "second" });
        Assert.Null(second.Operator.Allocation);

        first.Faults.Intercept = _ => FaultInjectingHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        first.Faults.CutWatches();
        await Assert.ThrowsAsync<Pipelines.Operating.LeadershipLostException>(() => first.Run.WaitAsync(OperatorCluster.Wait));
        Assert.Null(first.Operator.Allocation);

        // The new leader starts from the pods: w1's 600 of the GPU's 989 TFLOPs are taken, so of w2's two 300-TFLOP
        // workers exactly one fits (989 − 600 − 300 = 89 left).
        var pipeline = await secondStarted.WaitAsync(OperatorCluster.Wait);
        Assert.Equal(2, pipeline.Read(state => state.Allocations.Count));
        await engine.CreateWorkloadAsync("w2", replicas: 2, tflops: "300", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w2").Count == 1
            && engine.PendingWorkers("w2") is [{ Status.Conditions: { } conditions }] && conditions.Any(c => c.Type == "PodScheduled" && c.Status == "False"),
            "one w2 worker runs and the other waits");
        Assert.Equal(2, engine.RunningWorkers("w1").Count);
    }

    private static JsonObject PlantedWorker(string name, string gpu) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = OperatorCluster.Namespace,
            ["labels"] = new JsonObject { [Labels.Workload] = "planted", [Labels.Component] = ComponentValues.Worker },
            ["annotations"] = new JsonObject
            {
                [Annotations.GpuPool] = EngineCluster.Pool,
                [Annotations.GpuIds] = gpu,
                [Annotations.TflopsRequest] = "600",
                [Annotations.VramRequest] = "10Gi",
            },
        },
        ["spec"] = new JsonObject
        {
            ["schedulerName"] = WorkerRequestMapper.SchedulerName,
            ["nodeName"] = OperatorCluster.NodeName,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "tensorfusion/worker" }),
        },
    };
}
