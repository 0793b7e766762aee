using TensorFusion.Api.Conventions;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.Gpu.Plans;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;

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
        var applied = await AckedStatusAsync(pipeline, agent, [.. workers.Select(pod => pod.Metadata.Name)]);
        Assert.Equal(workers.Select(pod => pod.Metadata.Name).Order(), applied.Allocations.Where(a => a.State == AllocationState.Applied).Select(a => a.Worker).Order());
        var metrics = await op.ScrapeAsync();
        Assert.Contains("tensorfusion_allocation_decisions_total{pool=\"pool-a\",result=\"placed\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_allocation_unschedulable_workers{pool=\"pool-a\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigWorkload_Partitioned_WorkersGetMigInstancesTheAgentCreates()
    {
        await using var engine = await EngineCluster.StartAsync();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        await using var op = engine.StartOperator(out var started);
        var pipeline = await started.WaitAsync(OperatorCluster.Wait);

        // 100 TFLOPs / 15 GiB on an H100: the least-waste profile is 1g.20gb (docs/allocation.md, worked example step 4).
        await engine.CreateWorkloadAsync("mig", replicas: 2, tflops: "100", vram: "15Gi", isolation: "partitioned");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("mig").Count == 2, "both MIG workers run");
        var partitions = engine.RunningWorkers("mig").Select(pod => pod.Metadata.Annotations[AllocationAnnotations.Partitions]).ToArray();
        Assert.All(partitions, value => Assert.Contains(":1g.20gb@", value, StringComparison.Ordinal));
        Assert.Equal(2, partitions.Distinct().Count());
        var applied = await AckedStatusAsync(pipeline, agent, [.. engine.RunningWorkers("mig").Select(pod => pod.Metadata.Name)]);
        Assert.All(applied.Allocations, allocation => Assert.Equal(AllocationState.Applied, allocation.State));
        Assert.Equal(2, applied.Allocations.Count);
    }

    [Fact]
    public async Task Quota_SecondWorkerOverMaxWorkers_UnschedulableWithConditionAndEvent()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await engine.CreateQuotaAsync(maxWorkers: 1);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        await engine.CreateWorkloadAsync("q", replicas: 2, tflops: "10", vram: "1Gi");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("q").Count == 1
            && engine.PendingWorkers("q") is [{ Status.Conditions: { } conditions }] && conditions.Any(c => c.Type == "PodScheduled" && c.Status == "False"),
            "one worker runs and the other is reported unschedulable");
        var refused = engine.PendingWorkers("q")[0];
        var condition = refused.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Contains("maxWorkers", condition.Message, StringComparison.Ordinal);
        var failed = await engine.WaitForEventAsync(refused.Metadata.Name, "FailedScheduling");
        Assert.Equal("Warning", failed.Type);
        Assert.Contains("maxWorkers", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unschedulable_GpuNodeAddedLater_WorkerPlacedWithoutTimer()
    {
        await using var engine = await EngineCluster.StartAsync();
        await using var op = engine.StartOperator(out var started);
        var pipeline = await started.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("late", replicas: 1, tflops: "10", vram: "1Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.PendingWorkers("late") is [{ Status.Conditions: { } conditions }]
            && conditions.Any(c => c.Type == "PodScheduled" && c.Status == "False"), "the worker is reported unschedulable (no GPUs yet)");
        Assert.Equal(1, pipeline.ParkedCount);

        // The agent registers its GPUs: the GPU informer's change, not a timer, retries the waiting worker.
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("late").Count == 1, "the worker runs on the new GPUs");
        Assert.Equal(0, pipeline.ParkedCount);
    }

    [Fact]
    public async Task Preemption_CriticalWorker_EvictsLowWorkerButNotAProtectedOne()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);

        // Two H100s (80 GiB each): one low worker protected for an hour, one not, each taking 70 GiB of a GPU.
        await engine.CreateWorkloadAsync("kept", replicas: 1, tflops: "100", vram: "70Gi", qos: "low", evictionProtection: "1h");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("kept").Count == 1, "the protected low worker runs");
        await engine.CreateWorkloadAsync("batch", replicas: 1, tflops: "100", vram: "70Gi", qos: "low");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("batch").Count == 1, "the unprotected low worker runs");
        var victim = engine.RunningWorkers("batch")[0];
        var protectedWorker = engine.RunningWorkers("kept")[0];

        await engine.CreateWorkloadAsync("svc", replicas: 1, tflops: "400", vram: "40Gi", qos: "critical");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("svc").Count == 1, "the critical worker runs");
        var critical = engine.RunningWorkers("svc")[0];
        Assert.Equal(victim.Metadata.Annotations[Annotations.GpuIds], critical.Metadata.Annotations[Annotations.GpuIds]);
        // The victim is deleted (gracefully: it may still be terminating), the protected worker keeps its GPU.
        Assert.True(engine.Cluster.Pods.Get(OperatorCluster.Namespace, victim.Metadata.Name) is not { } now
            || now.Metadata.Uid != victim.Metadata.Uid || now.Metadata.DeletionTimestamp is not null);
        Assert.Equal(protectedWorker.Metadata.Uid, Assert.Single(engine.RunningWorkers("kept")).Metadata.Uid);
        Assert.Contains("svc", (await engine.WaitForEventAsync(victim.Metadata.Name, "Preempted")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preemption_LowWorkerProtectedByPdb_RefusedNamingTheBudgetUntilThePdbGoes()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        var options = EngineCluster.FastOptions();
        await using var op = engine.StartOperator(out var started, options with { Allocation = options.Allocation with { BudgetRetryDelay = TimeSpan.FromMilliseconds(300) } });
        await started.WaitAsync(OperatorCluster.Wait);
        // One H100 (80 GiB): the low worker takes 70 GiB, so the critical one (40 GiB) fits only by preempting it.
        await engine.CreateWorkloadAsync("batch", replicas: 1, tflops: "100", vram: "70Gi", qos: "low");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("batch").Count == 1, "the low worker runs");
        var victim = engine.RunningWorkers("batch")[0];
        var budgetPath = "apis/policy/v1/namespaces/" + OperatorCluster.Namespace + "/poddisruptionbudgets";
        await engine.Cluster.Direct.CreateAsync<System.Text.Json.Nodes.JsonNode>(budgetPath, new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "batch-pdb" },
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["minAvailable"] = 1,
                ["selector"] = new System.Text.Json.Nodes.JsonObject { ["matchLabels"] = new System.Text.Json.Nodes.JsonObject { [Labels.Workload] = "batch" } },
            },
        }, CancellationToken.None);
        await BudgetCountsAsync(engine, healthy: 1);

        await engine.CreateWorkloadAsync("svc", replicas: 1, tflops: "400", vram: "40Gi", qos: "critical");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.Cluster.ActiveWorkers("svc").Count == 1, "the critical worker's pod exists");
        var refused = await engine.WaitForEventAsync(engine.Cluster.ActiveWorkers("svc")[0].Metadata.Name, "FailedScheduling");
        Assert.Contains("The disruption budget batch-pdb needs 1 healthy pods and has 1 currently", refused.Message, StringComparison.Ordinal);
        var stillThere = engine.Cluster.Pods.Get(OperatorCluster.Namespace, victim.Metadata.Name);
        Assert.Equal(victim.Metadata.Uid, stillThere?.Metadata.Uid);
        Assert.Null(stillThere!.Metadata.DeletionTimestamp);
        Assert.Empty(engine.RunningWorkers("svc"));

        await engine.Cluster.Direct.DeleteAsync(budgetPath + "/batch-pdb", null, CancellationToken.None);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("svc").Count == 1, "the critical worker runs once the budget is gone");
        Assert.Contains("Eviction API", (await engine.WaitForEventAsync(victim.Metadata.Name, "Preempted")).Message, StringComparison.Ordinal);
    }

    /// <summary>Waits on the embedded server's event feed until the budget's status counts <paramref name="healthy"/> pods.</summary>
    private static async Task BudgetCountsAsync(EngineCluster engine, int healthy)
    {
        var (subscription, _) = engine.Cluster.Server.Store.Subscribe(LocalCluster.Disruption.DisruptionBudgets.StorageId, null, initialState: true);
        using (subscription)
        {
            using var deadline = new CancellationTokenSource(OperatorCluster.Wait);
            await foreach (var change in subscription.Events.ReadAllAsync(deadline.Token))
            {
                if (JsonText.WholeNumber(change.Current?.Value["status"]?["currentHealthy"]) == healthy)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The agent's status once it has acknowledged a plan holding every one of <paramref name="workers"/>. A pod runs
    /// once bound; the node plan holding it is pushed by the dispatcher's own loop, possibly a moment later, so waiting
    /// for whichever generation was pushed when asked could return a plan from before the workers (once in a loaded
    /// run: 0 allocations). Each acknowledgement re-checks the agent's status.
    /// </summary>
    private static async Task<NodePlanStatus> AckedStatusAsync(AllocationPipeline pipeline, TensorFusion.Agent.NodeAgent agent, IReadOnlyCollection<string> workers)
    {
        var holdsAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (workers.All(worker => agent.Applier.Status.Allocations.Any(allocation => allocation.Worker == worker)))
            {
                holdsAll.TrySetResult();
            }
        }

        void OnAck(NodeAck ack)
        {
            if (ack.Node == agent.NodeName)
            {
                Check();
            }
        }

        pipeline.Agents.Changed += OnAck;
        try
        {
            Check();
            await holdsAll.Task.WaitAsync(OperatorCluster.Wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {OperatorCluster.Wait.TotalSeconds} s waiting until the agent acknowledged a plan holding {string.Join(", ", workers)}");
        }
        finally
        {
            pipeline.Agents.Changed -= OnAck;
        }

        var ack = pipeline.Agents.AckOf(agent.NodeName)!;
        Assert.Contains(ack.LastResult, new PlanApplyResult?[] { PlanApplyResult.Applied, PlanApplyResult.Noop });
        return agent.Applier.Status;
    }
}
