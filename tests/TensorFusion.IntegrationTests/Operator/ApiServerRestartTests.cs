using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.Kube;
using Informers = TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Operating;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// reliability-security.md §6 row 6: the API server goes away (its process stopped, every connection reset) and
/// comes back on the same address and state. The operator keeps running throughout, reconnects on its own, and the
/// change made after the restart is reconciled exactly once.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class ApiServerRestartTests : IDisposable
{
    private const string Token = "restart-test-token";
    private readonly string _state = Directory.CreateTempSubdirectory("tf-apiserver-restart-").FullName;
    private readonly int _port = FreePort();

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task ApiServerRestarted_OperatorReconnects_ChangeAfterRestartReconciledOnce()
    {
        var server = await StartServerAsync();
        var direct = Client(server);
        foreach (var kind in ApiKinds.All)
        {
            await direct.CreateAsync<JsonNode>("apis/apiextensions.k8s.io/v1/customresourcedefinitions", CrdGenerator.Generate(kind), CancellationToken.None);
        }

        await direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), OperatorCluster.PoolObject("pool"), CancellationToken.None);
        await direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath("default"), OperatorCluster.WorkloadObject("w", "pool", replicas: 2), CancellationToken.None);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        await using var op = new RunningOperator(
            new TensorFusionOperator(Client(server), OperatorCluster.FastOptions(), TimeProvider.System, registry, new Random(3)),
            new FaultInjectingHandler(), registry);
        await using (var before = await Watch.StartAsync(direct))
        {
            await before.WaitForWorkersAsync(2);
        }

        await server.DisposeAsync(); // the API server is gone: watches break, requests are refused
        server = await StartServerAsync(); // same port, same SQLite state, same token
        direct = Client(server);
        await using var after = await Watch.StartAsync(direct);
        await direct.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath("default", "w"),
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } }, CancellationToken.None);

        // Row 6: reconciled within 60 s of the restore, exactly once (three distinct workers, never a fourth).
        await after.WaitForWorkersAsync(3);
        await OperatorCluster.WaitUntilAsync(after.Workloads, informer => informer.Get("default", "w")?.Status?.WorkerCount == 3, "status.workerCount 3");
        Assert.Equal(3, after.ActiveWorkers().Select(pod => pod.Metadata.Name).Distinct().Count());
        Assert.True(op.Operator.IsReady);
        await server.DisposeAsync();
    }

    private Task<LocalApiServer> StartServerAsync() => LocalApiServer.StartAsync(new LocalApiServerOptions
    {
        Port = _port,
        StateDirectory = _state,
        Token = Token,
        UseHttps = false,
        PodStartDelay = TimeSpan.FromMilliseconds(50),
    }, CancellationToken.None);

    private static KubeRestClient Client(LocalApiServer server) =>
        KubeRestClient.WithBearerToken(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, server.BaseUri, Token);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The test's own view of the cluster through informers: it waits on their signals, not on a clock.</summary>
    private sealed class Watch : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _runs = [];

        private Watch(KubeRestClient client)
        {
            var options = OperatorCluster.FastOptions().Informers;
            Pods = new Informers.Informer<V1Pod>(client, ResourceDescriptor.Pods, options, TimeProvider.System, new Random(1));
            Workloads = new Informers.Informer<TensorFusionWorkload>(client, ResourceDescriptor.Workloads, options, TimeProvider.System, new Random(2));
        }

        public Informers.Informer<V1Pod> Pods { get; }

        public Informers.Informer<TensorFusionWorkload> Workloads { get; }

        public static async Task<Watch> StartAsync(KubeRestClient client)
        {
            var watch = new Watch(client);
            watch._runs.Add(Task.Run(() => watch.Pods.RunAsync(watch._stop.Token)));
            watch._runs.Add(Task.Run(() => watch.Workloads.RunAsync(watch._stop.Token)));
            await watch.Pods.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);
            await watch.Workloads.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);
            return watch;
        }

        public List<V1Pod> ActiveWorkers() =>
            Pods.List(pod => pod.Metadata.Label(Labels.Workload) == "w" && WorkerPods.IsWorker(pod) && pod.Metadata.DeletionTimestamp is null).ToList();

        public Task WaitForWorkersAsync(int count) =>
            OperatorCluster.WaitUntilAsync(Pods, _ => ActiveWorkers().Count == count, $"{count} workers");

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_runs).ContinueWith(static _ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }
    }
}
