using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Claims;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// The operator as DRA allocation controller on the embedded control plane: each worker pod refers to its own
/// ResourceClaim, which is allocated to the worker's GPUs (or MIG instance) and reserved for the pod before the bind,
/// and goes with the pod. The kubelet stand-in is told not to prepare claims here (no DRA plugin in this fixture).
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class DraClaimAllocationTests
{
    [Fact]
    public async Task Workload_WithDraClaims_EachWorkerClaimAllocatedToItsGpuAndReservedForItsPod()
    {
        await using var engine = await EngineCluster.StartAsync(prepareResourceClaims: false);
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await using var op = engine.StartOperator(out var started, EngineCluster.FastOptions() with { DraClaims = true });
        await started.WaitAsync(OperatorCluster.Wait);

        await engine.CreateWorkloadAsync("w", replicas: 2, tflops: "10", vram: "1Gi");

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w").Count == 2, "both workers run");
        foreach (var pod in engine.RunningWorkers("w"))
        {
            var claim = await ClaimOfAsync(engine, pod);
            var result = Assert.Single(claim["status"]!["allocation"]!["devices"]!["results"]!.AsArray())!;
            Assert.Equal(WorkerClaims.Driver, result["driver"]!.GetValue<string>());
            Assert.Equal(OperatorCluster.NodeName, result["pool"]!.GetValue<string>());
            Assert.Equal(pod.Metadata.Annotations[Annotations.GpuIds], result["device"]!.GetValue<string>());
            var reserved = Assert.Single(claim["status"]!["reservedFor"]!.AsArray())!;
            Assert.Equal((pod.Metadata.Name, pod.Metadata.Uid), (reserved["name"]!.GetValue<string>(), reserved["uid"]!.GetValue<string>()));
            Assert.Equal(pod.Metadata.Uid, claim["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
            Assert.Equal($"{OperatorCluster.Namespace}/{pod.Metadata.Name}", claim["metadata"]!["annotations"]![WorkerClaims.WorkerAnnotation]!.GetValue<string>());
            Assert.Equal(WorkerClaims.ClaimName(pod.Metadata.Name), Assert.Single(pod.Spec.ResourceClaims).ResourceClaimName);
        }
    }

    [Fact]
    public async Task MigWorkload_WithDraClaims_ClaimNamesTheMigInstance_AndDeleteRemovesClaims()
    {
        await using var engine = await EngineCluster.StartAsync(prepareResourceClaims: false);
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        await using var op = engine.StartOperator(out var started, EngineCluster.FastOptions() with { DraClaims = true });
        await started.WaitAsync(OperatorCluster.Wait);

        // 100 TFLOPs / 15 GiB on an H100: the least-waste profile is 1g.20gb (docs/allocation.md, worked example step 4).
        await engine.CreateWorkloadAsync("mig", replicas: 1, tflops: "100", vram: "15Gi", isolation: "partitioned");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("mig").Count == 1, "the MIG worker runs");
        var pod = engine.RunningWorkers("mig")[0];
        var claim = await ClaimOfAsync(engine, pod);
        await engine.Cluster.DeleteWorkloadAsync("mig");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.Cluster.ActiveWorkers("mig").Count == 0, "the worker is gone");

        // The claim goes after its pod (garbage collection), with no pod event left to re-check on: await the store's watch.
        var store = engine.Cluster.Server.Store;
        var (subscription, _) = store.Subscribe("resourceclaims.resource.k8s.io", null, initialState: false);
        using (subscription)
        {
            using var timeout = new CancellationTokenSource(OperatorCluster.Wait);
            while (store.Get("resourceclaims.resource.k8s.io", OperatorCluster.Namespace, WorkerClaims.ClaimName(pod.Metadata.Name)) is not null)
            {
                await subscription.Events.ReadAsync(timeout.Token);
            }
        }

        var gpu = pod.Metadata.Annotations[Annotations.GpuIds];
        var device = claim["status"]!["allocation"]!["devices"]!["results"]![0]!["device"]!.GetValue<string>();
        Assert.Matches($"^{gpu}-mig-1g-20gb-[0-9]+$", device);
    }

    private static async Task<JsonObject> ClaimOfAsync(EngineCluster engine, V1Pod pod) =>
        await engine.Cluster.Direct.GetAsync<JsonObject>(
            ResourceDescriptor.ResourceClaims.ObjectPath(OperatorCluster.Namespace, WorkerClaims.ClaimName(pod.Metadata.Name)), CancellationToken.None);
}
