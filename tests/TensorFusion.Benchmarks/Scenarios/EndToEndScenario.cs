using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Plans;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// N worker pods (TF_E2E_WORKERS, default 10 000) created on the embedded control plane and fed to the allocation
/// pipeline, which binds and annotates each one through the Kubernetes client and pushes node plans. Measures workers
/// per second from the first create to the last persisted bind, and the process's peak memory (API server included).
/// Not yet measured: workloads through the workload reconciler, and waiting for the kubelet's Running.
/// </summary>
public sealed class EndToEndScenario : IScenario
{
    public string Name => "e2e";

    public string Description => "worker pods on the embedded control plane → batched allocation → bound, annotated, planned";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var workers = int.TryParse(Environment.GetEnvironmentVariable("TF_E2E_WORKERS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : 10_000;
        // 100 TFLOPs / 8 GiB workers: 9 fit on one H100 (989 TFLOPs, 80 GiB), so 64 per 8-GPU node leaves room.
        var nodes = (workers / 64) + 1;
        var directory = Path.Combine(Path.GetTempPath(), "tf-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions(), cancellationToken);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var specs = new List<NodeSpec>();
        for (var i = 0; i < nodes; i++)
        {
            await server.AddSimulatedNodeAsync($"n{i}");
            specs.Add(new NodeSpec($"n{i}", "pool", new Dictionary<string, string>(),
                [.. Enumerable.Range(0, 8).Select(g => new GpuSpec($"n{i}-g{g}", g, "H100"))]));
        }

        var placed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var dispatcher = new NodePlanDispatcher(new InstantAgents(), TimeProvider.System);
        await using var pipeline = new AllocationPipeline(new AllocationEngine(GpuModelCatalog.Default),
            new KubernetesAllocationWriter(client, TimeProvider.System), dispatcher, TimeProvider.System,
            new AllocationPipelineOptions { MaxBatchSize = 512, BatchWindow = TimeSpan.FromMilliseconds(20), PersistParallelism = 64 });
        pipeline.BatchCompleted += outcomes =>
        {
            if (Interlocked.Add(ref placed, outcomes.Count(o => o.Kind == DecisionKind.Place && o.Write == WriteOutcome.Done)) >= workers)
            {
                done.TrySetResult();
            }
        };
        await pipeline.StartAsync(new AllocationInventory(specs, [new PoolSpec("pool")], []), [], cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        using var inFlight = new SemaphoreSlim(64);
        var creates = Enumerable.Range(0, workers).Select(async i =>
        {
            await inFlight.WaitAsync(cancellationToken);
            try
            {
                var pod = await client.CoreV1.CreateNamespacedPodAsync(Worker(i), "default", cancellationToken: cancellationToken);
                await pipeline.SubmitAsync(pod, cancellationToken);
            }
            finally
            {
                inFlight.Release();
            }
        }).ToList();
        await Task.WhenAll(creates);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        stopwatch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Directory.Delete(directory, recursive: true);
        return new Dictionary<string, double>
        {
            ["workers"] = workers,
            ["workloadsPerSecond"] = workers / stopwatch.Elapsed.TotalSeconds,
            ["secondsToAllRunning"] = stopwatch.Elapsed.TotalSeconds,
            ["operatorPeakMemoryMb"] = process.PeakWorkingSet64 / (1024.0 * 1024.0),
        };
    }

    private static V1Pod Worker(int index) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"w{index.ToString(CultureInfo.InvariantCulture)}-0",
            Labels = new Dictionary<string, string> { [Labels.Workload] = $"w{index.ToString(CultureInfo.InvariantCulture)}" },
            Annotations = new Dictionary<string, string>
            {
                [Annotations.GpuPool] = "pool",
                [Annotations.TflopsRequest] = "100",
                [Annotations.VramRequest] = "8Gi",
            },
        },
        Spec = new V1PodSpec
        {
            SchedulerName = WorkerRequestMapper.SchedulerName,
            Containers = [new V1Container { Name = "worker", Image = "tensorfusion/worker" }],
        },
    };

    /// <summary>Agents that acknowledge at once: this scenario measures the operator side.</summary>
    private sealed class InstantAgents : INodePlanClient
    {
        public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken) =>
            Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, plan.Generation, PlanApplyResult.Applied, []), null));
    }
}
