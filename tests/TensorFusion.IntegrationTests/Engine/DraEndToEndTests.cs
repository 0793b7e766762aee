using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.LocalCluster.Controllers.Dra;
using TensorFusion.Pipelines.Claims;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// Issue 17 end to end on the embedded control plane: operator (claims) → allocator (claim allocated and reserved,
/// bind) → node agent (plan, CDI spec, DRA plugin) → simulated kubelet (registration, NodePrepareResources, CDI) → the
/// worker's simulated container holds exactly its GPU or MIG instance, the limiter mounts and its region; deleting the
/// workloads removes pods, claims and CDI specs.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class DraEndToEndTests
{
    private const string RegionPath = "/run/tensor-fusion/region";
    private const string LimiterPath = "/usr/local/tensor-fusion/lib/libtfshim.so";

    [Fact]
    public async Task FixedAndMigWorkloads_WorkersPreparedWithExactlyTheirDevices_DeleteRemovesClaimsAndSpecs()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2, dra: true);
        await using var op = engine.StartOperator(out var started, EngineCluster.FastOptions() with { DraClaims = true });
        await started.WaitAsync(OperatorCluster.Wait);

        await engine.CreateWorkloadAsync("fixed", replicas: 1, tflops: "10", vram: "1Gi");
        // 100 TFLOPs / 15 GiB on an H100: the least-waste profile is 1g.20gb (docs/allocation.md, worked example step 4).
        await engine.CreateWorkloadAsync("mig", replicas: 1, tflops: "100", vram: "15Gi", isolation: "partitioned");
        try
        {
            await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("fixed").Count == 1 && engine.RunningWorkers("mig").Count == 1,
                "both workers run (their claims prepared by the node agent)");
        }
        catch (Xunit.Sdk.FailException timeout)
        {
            // Say what the kubelet stand-in saw: its FailedPrepareDynamicResources events name the cause.
            var events = engine.Cluster.Server.Store.List("events", OperatorCluster.Namespace, null).Items
                .Select(e => $"{e.Value["reason"]}: {e.Value["message"]}");
            Assert.Fail($"{timeout.Message}; events: {string.Join(" | ", events)}");
        }

        var fixedWorker = engine.RunningWorkers("fixed")[0];
        var migWorker = engine.RunningWorkers("mig")[0];
        var fixedEdits = Edits(engine, fixedWorker);
        var migEdits = Edits(engine, migWorker);
        var specs = Directory.GetFiles(CdiDirectory(engine)).Select(Path.GetFileName).ToArray();

        await AssertClaimAsync(engine, fixedWorker);
        await AssertClaimAsync(engine, migWorker);

        // The fixed worker: its worker device and exactly its one GPU (NVIDIA's CDI name by UUID; the GPU object's name is that UUID lowercased).
        var gpu = fixedWorker.Metadata.Annotations[Annotations.GpuIds];
        var fixedDevices = Devices(fixedEdits);
        Assert.Equal(2, fixedDevices.Count);
        Assert.Contains($"tensor-fusion.ai/worker={OperatorCluster.Namespace}_{fixedWorker.Metadata.Name}", fixedDevices);
        var nvidia = Assert.Single(fixedDevices, device => device.StartsWith("nvidia.com/gpu=", StringComparison.Ordinal));
        Assert.Equal(gpu, nvidia["nvidia.com/gpu=".Length..], StringComparer.OrdinalIgnoreCase);
        Assert.Contains(Mounts(fixedEdits), mount => mount == RegionPath);
        Assert.Contains(Mounts(fixedEdits), mount => mount == LimiterPath);
        Assert.Contains(Mounts(fixedEdits), mount => mount == "/etc/ld.so.preload");

        // The MIG worker: exactly one MIG instance, its region, and no limiter (the instance isolates it).
        var migDevices = Devices(migEdits);
        Assert.Single(migDevices, device => device.StartsWith("nvidia.com/gpu=MIG-", StringComparison.Ordinal));
        Assert.DoesNotContain(migDevices, device => device.StartsWith("nvidia.com/gpu=GPU-", StringComparison.Ordinal));
        Assert.DoesNotContain(Mounts(migEdits), mount => mount == LimiterPath);
        Assert.Contains($"tensor-fusion.ai-worker_{OperatorCluster.Namespace}_{fixedWorker.Metadata.Name}.json", specs);
        Assert.Contains($"tensor-fusion.ai-worker_{OperatorCluster.Namespace}_{migWorker.Metadata.Name}.json", specs);

        await engine.Cluster.DeleteWorkloadAsync("fixed");
        await engine.Cluster.DeleteWorkloadAsync("mig");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.Cluster.ActiveWorkers("fixed").Count == 0 && engine.Cluster.ActiveWorkers("mig").Count == 0,
            "the workers are gone");
        await WaitForClaimsAndSpecsGoneAsync(engine);
    }

    private static async Task AssertClaimAsync(EngineCluster engine, V1Pod pod)
    {
        var claim = await engine.Cluster.Direct.GetAsync<JsonObject>(
            ResourceDescriptor.ResourceClaims.ObjectPath(OperatorCluster.Namespace, WorkerClaims.ClaimName(pod.Metadata.Name)), CancellationToken.None);
        var result = Assert.Single(claim["status"]!["allocation"]!["devices"]!["results"]!.AsArray())!;
        Assert.Equal(OperatorCluster.NodeName, result["pool"]!.GetValue<string>());
        Assert.StartsWith(pod.Metadata.Annotations[Annotations.GpuIds], result["device"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(pod.Metadata.Uid, Assert.Single(claim["status"]!["reservedFor"]!.AsArray())!["uid"]!.GetValue<string>());
    }

    private static JsonObject Edits(EngineCluster engine, V1Pod pod)
    {
        // The informer's pod may predate the annotation write; the store has the latest.
        var stored = engine.Cluster.Server.Store.Get("pods", OperatorCluster.Namespace, pod.Metadata.Name)!;
        return JsonNode.Parse(stored.Value["metadata"]!["annotations"]![ClaimPreparer.ContainerEditsAnnotation]!.GetValue<string>())!.AsObject();
    }

    private static List<string> Devices(JsonObject edits) => [.. edits["devices"]!.AsArray().Select(device => device!.GetValue<string>())];

    private static List<string> Mounts(JsonObject edits) => [.. edits["mounts"]!.AsArray().Select(mount => mount!["containerPath"]!.GetValue<string>())];

    /// <summary>
    /// Claims and CDI specs go after their pods (garbage collection; the agent's next plan), with no pod event to
    /// re-check on: each is awaited on its own signal (the store's watch, the CDI directory's file events).
    /// </summary>
    private static async Task WaitForClaimsAndSpecsGoneAsync(EngineCluster engine)
    {
        const string Claims = "resourceclaims.resource.k8s.io";
        var store = engine.Cluster.Server.Store;
        var directory = CdiDirectory(engine);
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory);
        watcher.Deleted += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        var (subscription, _) = store.Subscribe(Claims, null, initialState: false);
        using var timeout = new CancellationTokenSource(OperatorCluster.Wait);
        try
        {
            using (subscription)
            {
                while (store.List(Claims, OperatorCluster.Namespace, null).Items.Count > 0)
                {
                    await subscription.Events.ReadAsync(timeout.Token);
                }
            }

            while (Directory.EnumerateFiles(directory, "tensor-fusion.ai-worker_*").Any())
            {
                await changed.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out after {OperatorCluster.Wait.TotalSeconds} s waiting until the claims and CDI specs are gone: " +
                $"{store.List(Claims, OperatorCluster.Namespace, null).Items.Count} claims, specs " +
                $"[{string.Join(", ", Directory.EnumerateFiles(directory, "tensor-fusion.ai-worker_*").Select(Path.GetFileName))}]");
        }
    }

    private static string CdiDirectory(EngineCluster engine) =>
        SimulatedKubeletPaths.Of(engine.Cluster.Server.Store.Get("nodes", string.Empty, OperatorCluster.NodeName)!.Value)!.CdiDirectories[0];
}
