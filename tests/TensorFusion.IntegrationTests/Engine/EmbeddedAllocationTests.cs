using System.Threading.Channels;
using k8s;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>The allocation pipeline writing to the embedded control plane through the real Kubernetes client.</summary>
[Trait("Category", "Integration")]
public sealed class EmbeddedAllocationTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly AllocationInventory Inventory = new(
        [new NodeSpec("n0", "pool", new Dictionary<string, string>(), [new GpuSpec("n0-g0", 0, "H100")])], [new PoolSpec("pool")], []);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tf-engine-" + Guid.NewGuid().ToString("N"));
    private LocalApiServer _server = null!;
    private string _kubeconfig = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions(), CancellationToken.None);
        _kubeconfig = Path.Combine(_directory, "kubeconfig");
        _server.WriteKubeconfig(_kubeconfig);
        await _server.AddSimulatedNodeAsync("n0");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Pipeline_RealApiServer_BindsAnnotatesReportsAndRebuilds()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kubeconfig));
        var agents = new AcceptingAgents();
        var batches = Channel.CreateUnbounded<IReadOnlyList<WorkerOutcome>>();
        await using (var dispatcher = new NodePlanDispatcher(agents, TimeProvider.System))
        await using (var pipeline = new AllocationPipeline(new AllocationEngine(GpuModelCatalog.Default),
            new RestAllocationWriter(KubeRestClient.FromKubernetes(client), TimeProvider.System), dispatcher, TimeProvider.System,
            new AllocationPipelineOptions { MaxBatchSize = 2, BatchWindow = TimeSpan.FromHours(1) }))
        {
            pipeline.BatchCompleted += outcomes => batches.Writer.TryWrite(outcomes);
            await pipeline.StartAsync(Inventory, [], CancellationToken.None);
            foreach (var (name, tflops) in new[] { ("llm-0", "600"), ("llm-1", "600") })
            {
                var pod = await client.CoreV1.CreateNamespacedPodAsync(Worker(name, tflops), "default");
                await pipeline.OfferAsync(pod, CancellationToken.None);
            }

            // Both workers in one batch (by size, not by a wall-clock window), so the outcome is deterministic.
            var batch = await batches.Reader.ReadAsync().AsTask().WaitAsync(Wait);

            // Two 600-TFLOP workers, one 989-TFLOP H100: one placed, one unschedulable.
            var placed = Assert.Single(batch, outcome => outcome.Kind == DecisionKind.Place);
            var waiting = Assert.Single(batch, outcome => outcome.Kind == DecisionKind.Unschedulable);
            var bound = await client.CoreV1.ReadNamespacedPodAsync(placed.WorkerId.Split('/')[1], "default");
            Assert.Equal("n0", bound.Spec.NodeName);
            Assert.Equal("n0-g0", bound.Metadata.Annotations[Annotations.GpuIds]);
            var refused = await client.CoreV1.ReadNamespacedPodAsync(waiting.WorkerId.Split('/')[1], "default");
            var condition = Assert.Single(refused.Status.Conditions, c => c.Type == "PodScheduled");
            Assert.Equal(("False", "Unschedulable"), (condition.Status, condition.Reason));
            Assert.False(string.IsNullOrEmpty(condition.Message));
            await dispatcher.WaitAcknowledgedAsync("n0", dispatcher.AckOf("n0")!.PushedGeneration, new CancellationTokenSource(Wait).Token);
            Assert.Single(agents.Latest["n0"].Allocations);
        }

        // A new operator rebuilds from the API server's pods: the bound worker comes back, the other is pending again.
        var pods = await client.CoreV1.ListNamespacedPodAsync("default");
        await using var restartedDispatcher = new NodePlanDispatcher(agents, TimeProvider.System);
        await using var restarted = new AllocationPipeline(new AllocationEngine(GpuModelCatalog.Default),
            new RestAllocationWriter(KubeRestClient.FromKubernetes(client), TimeProvider.System), restartedDispatcher, TimeProvider.System);
        var report = await restarted.StartAsync(Inventory, pods.Items, CancellationToken.None);
        Assert.Equal((1, 1), (report.Restored, report.Pending));
        Assert.Empty(report.Conflicts);
    }

    private static V1Pod Worker(string name, string tflops) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { [Labels.Workload] = "llm" },
            Annotations = new Dictionary<string, string>
            {
                [Annotations.GpuPool] = "pool",
                [Annotations.TflopsRequest] = tflops,
                [Annotations.VramRequest] = "10Gi",
            },
        },
        Spec = new V1PodSpec
        {
            SchedulerName = WorkerRequestMapper.SchedulerName,
            Containers = [new V1Container { Name = "worker", Image = "tensorfusion/worker" }],
        },
    };
}
