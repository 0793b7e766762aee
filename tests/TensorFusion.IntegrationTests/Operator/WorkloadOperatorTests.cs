using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>The workload controller end to end against the embedded API server over HTTP (workers bound by the test binder).</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class WorkloadOperatorTests
{
    [Fact]
    public async Task Replicas3_Created_ThreeRunningWorkersAndRunningPhase()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");

        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 3);

        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Phase == WorkloadPhase.Running && w.Status.ReadyWorkers == 3, "the workload runs 3 ready workers");
        var workload = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!;
        var workers = cluster.ActiveWorkers("w");
        Assert.Equal(3, workers.Count);
        Assert.All(workers, pod =>
        {
            Assert.Equal(WorkerPodFactory.SchedulerName, pod.Spec.SchedulerName);
            Assert.Equal(workload.Status!.PodTemplateHash, pod.Metadata.Label(Labels.PodTemplateHash));
            Assert.Equal(workload.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
        });
        Assert.Contains(Finalizers.TensorFusion, workload.Metadata.Finalizers);
        Assert.Equal(workload.Metadata.Generation, workload.Status!.ObservedGeneration);
        var ready = workload.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("True", ConditionReasons.WorkloadReady), (ready.Status, ready.Reason));
        Assert.Contains("tensorfusion_reconcile_total{controller=\"tensorfusionworkload\",result=\"success\"}", await op.ScrapeAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_Scaled3To5To1_WorkerCountFollows()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 3);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 3, "3 ready workers");

        await cluster.PatchWorkloadSpecAsync("w", new JsonObject { ["replicas"] = 5 });
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 5 && w.Status.WorkerCount == 5, "5 ready workers");
        var hashBefore = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Status!.PodTemplateHash;

        await cluster.PatchWorkloadSpecAsync("w", new JsonObject { ["replicas"] = 1 });
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.WorkerCount == 1 && w.Status.ReadyWorkers == 1 && w.Status.Phase == WorkloadPhase.Running, "1 worker");
        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => cluster.ActiveWorkers("w").Count == 1, "one active worker pod");

        // replicas is part of the spec, so the hash changed and the survivor is a worker of the new hash.
        var survivor = Assert.Single(cluster.ActiveWorkers("w"));
        Assert.NotEqual(hashBefore, survivor.Metadata.Label(Labels.PodTemplateHash));
    }

    [Fact]
    public async Task TemplateChange_RollsEveryWorkerToTheNewHash()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 2);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 2, "2 ready workers");
        var oldHash = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Status!.PodTemplateHash;

        await cluster.PatchWorkloadSpecAsync("w", new JsonObject { ["workerPodTemplate"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["rev"] = "2" } } } });

        await cluster.WaitForWorkloadAsync("w", w => w.Status?.PodTemplateHash != oldHash && w.Status?.ReadyWorkers == 2, "the new hash is in status with 2 ready workers");
        var newHash = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Status!.PodTemplateHash;
        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => cluster.ActiveWorkers("w") is { Count: 2 } workers && workers.All(p => p.Metadata.Label(Labels.PodTemplateHash) == newHash), "both workers carry the new hash");
        Assert.All(cluster.ActiveWorkers("w"), pod => Assert.Equal("2", pod.Metadata.Label("rev")));
    }

    [Fact]
    public async Task PoolMissing_ThenCreated_ConditionHealsAndWorkersStart()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();

        await cluster.CreateWorkloadAsync("w", "late-pool", replicas: 1);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Conditions?.Any(c => c.Reason == ConditionReasons.PoolNotFound) == true, "Ready=False PoolNotFound");
        var condition = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal("GPU pool \"late-pool\" (spec.poolName) does not exist", condition.Message);
        Assert.Empty(cluster.ActiveWorkers("w"));

        await cluster.CreatePoolAsync("late-pool");

        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Phase == WorkloadPhase.Running && w.Status.ReadyWorkers == 1, "the workload runs once the pool exists");
        var events = await cluster.Direct.GetAsync<Corev1EventList>(ResourceDescriptor.Events.CollectionPath(OperatorCluster.Namespace), CancellationToken.None);
        Assert.Contains(events.Items, e => e.Reason == ConditionReasons.PoolNotFound && e.InvolvedObject.Name == "w");
    }

    [Fact]
    public async Task NoPoolNamed_NoDefaultPool_ConditionSaysSoThenTheAnnotatedDefaultPoolIsRecordedAndRuns()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("shared");
        await using var op = cluster.StartOperator();
        var workload = OperatorCluster.WorkloadObject("w", "unused", replicas: 1);
        ((JsonObject)workload["spec"]!).Remove("poolName");

        await cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(OperatorCluster.Namespace), workload, CancellationToken.None);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Conditions?.Any(c => c.Reason == ConditionReasons.PoolNotFound) == true, "Ready=False PoolNotFound");
        var condition = cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        // Upstream's rule, and what `kubectl annotate gpupool shared tensor-fusion.ai/is-default-pool=true` fixes.
        await cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuPools.ObjectPath(null, "shared"),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotations.IsDefaultPool] = "true" } } }, CancellationToken.None);

        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Phase == WorkloadPhase.Running && w.Status.ReadyWorkers == 1, "the workload runs in the default pool");
        Assert.Contains(Annotations.IsDefaultPool, condition.Message, StringComparison.Ordinal);
        Assert.Equal("shared", cluster.Workloads.Get(OperatorCluster.Namespace, "w")!.Spec.PoolName); // recorded: the Pool column shows it
    }

    [Fact]
    public async Task GpuCountLargerThanAnyNode_ConditionStatesIt_HealsWhenANodeGrows()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool");
        await SetGpuNodeAsync(cluster, "gpu-node-a", "pool", totalGpus: 8);

        // Started after the node exists, so its first list holds it: started before, it could reconcile the workload
        // before its cache saw the node, and with no node known it creates the worker (which then waits unschedulable).
        await using var op = cluster.StartOperator();

        await cluster.CreateWorkloadAsync("big", "pool", replicas: 1, gpuCount: 16);
        await cluster.WaitForWorkloadAsync("big", w => w.Status?.Conditions?.Any(c => c.Reason == WorkloadEventReasons.GpuCountExceedsNodes) == true, "Ready=False GpuCountExceedsNodes");
        var condition = cluster.Workloads.Get(OperatorCluster.Namespace, "big")!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal("spec.gpuCount 16 is more than any node of pool \"pool\" has: the largest, gpu-node-a, has 8 GPUs (a worker's GPUs come from one node)", condition.Message);
        Assert.Empty(cluster.ActiveWorkers("big"));

        // A 16-GPU node joins the pool: the GPUNode event requeues the workload, no timer involved.
        await SetGpuNodeAsync(cluster, "gpu-node-b", "pool", totalGpus: 16);

        await cluster.WaitForWorkloadAsync("big", w => w.Status?.Conditions?.Any(c => c.Reason == WorkloadEventReasons.GpuCountExceedsNodes) != true && cluster.ActiveWorkers("big").Count == 1, "the condition heals and the worker is created");
    }

    private static async Task SetGpuNodeAsync(OperatorCluster cluster, string name, string pool, int totalGpus)
    {
        await cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuNodes.CollectionPath(), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUNode",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [Labels.GpuPool] = pool } },
        }, CancellationToken.None);
        await cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuNodes.ObjectPath(null, name) + "/status",
            new JsonObject { ["status"] = new JsonObject { ["totalGPUs"] = totalGpus } }, CancellationToken.None);
    }

    [Fact]
    public async Task Deleted_WorkersAndFinalizerRemoved()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 2);
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.ReadyWorkers == 2, "2 ready workers");

        await cluster.DeleteWorkloadAsync("w");

        await OperatorCluster.WaitUntilAsync(cluster.Workloads, informer => informer.Get(OperatorCluster.Namespace, "w") is null, "the workload is gone");
        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => cluster.ActiveWorkers("w").Count == 0, "no active worker remains");
    }

    [Fact]
    public async Task DynamicReplicas_WorkersFollowClientPods()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("dyn", "pool-a", replicas: null);

        await CreateClientPodAsync(cluster, "client-1", "dyn");
        await CreateClientPodAsync(cluster, "client-2", "dyn");
        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => cluster.ActiveWorkers("dyn").Count == 2, "one worker per client pod");
        await cluster.WaitForWorkloadAsync("dyn", w => w.Status?.WorkerCount == 2 && w.Status.Phase == WorkloadPhase.Running, "workerCount 2");

        await cluster.Direct.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(OperatorCluster.Namespace, "client-1"), null, CancellationToken.None);

        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => cluster.ActiveWorkers("dyn") is { Count: 1 } left && left[0].Metadata.Label(WorkerPods.ClientPodLabel) == "client-2", "the worker of client-1 is gone");
        await cluster.WaitForWorkloadAsync("dyn", w => w.Status?.WorkerCount == 1, "workerCount 1");
    }

    [Fact]
    public async Task LocalGpu_ClientPodIsTheWorker_NoWorkerPodsCreated()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var op = cluster.StartOperator();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("local", "pool-a", replicas: 3, local: true);

        await CreateClientPodAsync(cluster, "client-1", "local");

        await cluster.WaitForWorkloadAsync("local", w => w.Status?.WorkerCount == 1, "the client pod counts as the worker");
        Assert.Empty(cluster.ActiveWorkers("local"));
        await OperatorCluster.WaitUntilAsync(cluster.Pods, _ => true, "pods cache ready");
        var events = await cluster.Direct.GetAsync<Corev1EventList>(ResourceDescriptor.Events.CollectionPath(OperatorCluster.Namespace), CancellationToken.None);
        Assert.Contains(events.Items, e => e.Reason == WorkloadEventReasons.ReplicasIgnored && e.InvolvedObject.Name == "local");
    }

    internal static Task CreateClientPodAsync(OperatorCluster cluster, string name, string workload) =>
        cluster.Direct.CreateAsync(ResourceDescriptor.Pods.CollectionPath(OperatorCluster.Namespace), new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = OperatorCluster.Namespace,
                Labels = new Dictionary<string, string> { [Labels.Workload] = workload, [Labels.Component] = ComponentValues.Client },
            },
            Spec = new V1PodSpec { NodeName = OperatorCluster.NodeName, Containers = [new V1Container { Name = "app", Image = "app:1" }] },
        }, CancellationToken.None);
}
