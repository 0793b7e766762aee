using System.Reactive.Linq;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// One embedded API server with the tensor-fusion.ai CRDs and a simulated node, the test's own (fault-free) client
/// and watchers, a tiny binder that puts pending worker pods on the simulated node (GPU allocation is a later issue),
/// and operators started on demand behind a <see cref="FaultInjectingHandler"/>.
/// </summary>
internal sealed class OperatorCluster : IAsyncDisposable
{
    /// <summary>
    /// How long one awaited step may take before the test fails naming it. A guard, never a pace: passing runs wait only
    /// for the event. 30 s was missed by ordinary steps ("a workload reaches Ready") with load averages of 30–40 on the
    /// 2-core test machine, where the hand-over step itself (awaited on its own) still passed; 90 s keeps a real hang loud.
    /// </summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    public const string Namespace = "default";
    public const string NodeName = "sim-node-1";

    /// <summary>Plain ConfigMaps: what informer tests watch when the kind itself does not matter.</summary>
    public static readonly ResourceDescriptor ConfigMaps = new("ConfigMap", string.Empty, "v1", "configmaps", Namespaced: true);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly List<IDisposable> _subscriptions = [];

    private OperatorCluster(LocalApiServer server)
    {
        Server = server;
        Direct = KubeRestClient.WithBearerToken(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, server.BaseUri, server.Token);
        var fast = FastOptions().Informers;
        Pods = new Informer<V1Pod>(Direct, ResourceDescriptor.Pods, fast, TimeProvider.System, new Random(1));
        Workloads = new Informer<TensorFusionWorkload>(Direct, ResourceDescriptor.Workloads, fast, TimeProvider.System, new Random(2));
        Connections = new Informer<TensorFusionConnection>(Direct, ResourceDescriptor.Connections, fast, TimeProvider.System, new Random(3));
    }

    public LocalApiServer Server { get; }

    /// <summary>The test's own client, never faulted.</summary>
    public KubeRestClient Direct { get; }

    public Informer<V1Pod> Pods { get; }

    public Informer<TensorFusionWorkload> Workloads { get; }

    public Informer<TensorFusionConnection> Connections { get; }

    /// <param name="bindWorkers">Bind worker pods with a test binder (no operator allocation).</param>
    /// <param name="prepareResourceClaims">False: the simulated kubelet runs pods with claims without a DRA plugin.</param>
    public static async Task<OperatorCluster> StartAsync(bool bindWorkers = true, bool prepareResourceClaims = true)
    {
        var server = await LocalApiServer.StartAsync(new LocalApiServerOptions
        {
            PodStartDelay = TimeSpan.FromMilliseconds(50), BookmarkInterval = TimeSpan.FromSeconds(1), UseHttps = false, PrepareResourceClaims = prepareResourceClaims,
        }, CancellationToken.None);
        var cluster = new OperatorCluster(server);
        foreach (var kind in ApiKinds.All)
        {
            await cluster.Direct.CreateAsync<JsonNode>("apis/apiextensions.k8s.io/v1/customresourcedefinitions", CrdGenerator.Generate(kind), CancellationToken.None);
        }

        await server.AddSimulatedNodeAsync(NodeName);
        cluster._background.Add(Task.Run(() => cluster.Pods.RunAsync(cluster._stop.Token)));
        cluster._background.Add(Task.Run(() => cluster.Workloads.RunAsync(cluster._stop.Token)));
        cluster._background.Add(Task.Run(() => cluster.Connections.RunAsync(cluster._stop.Token)));
        await cluster.Pods.WaitForSyncAsync(CancellationToken.None).WaitAsync(Wait);
        await cluster.Workloads.WaitForSyncAsync(CancellationToken.None).WaitAsync(Wait);
        await cluster.Connections.WaitForSyncAsync(CancellationToken.None).WaitAsync(Wait);
        if (bindWorkers)
        {
            cluster._subscriptions.Add(cluster.Pods.Changes
                .Where(change => change.Type != ChangeType.Deleted && WorkerPods.IsWorker(change.Current) && change.Current.Spec?.NodeName is null && change.Current.Metadata.DeletionTimestamp is null)
                .Select(change => Observable.FromAsync(() => cluster.BindAsync(change.Current)))
                .Concat()
                .Subscribe(_ => { }, _ => { }));
        }

        return cluster;
    }

    /// <summary>Starts an operator behind its own fault handler; dispose the handle to stop it gracefully.</summary>
    public RunningOperator StartOperator(OperatorOptions? options = null, FaultInjectingHandler? faults = null, string? token = null)
    {
        faults ??= new FaultInjectingHandler();
        var client = KubeRestClient.WithBearerToken(new HttpClient(faults) { Timeout = Timeout.InfiniteTimeSpan }, Server.BaseUri, token ?? Server.Token);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var tensorFusion = new TensorFusionOperator(client, options ?? FastOptions(), TimeProvider.System, registry, new Random(7));
        return new RunningOperator(tensorFusion, faults, registry);
    }

    public static OperatorOptions FastOptions() => new()
    {
        // DetectMutations: every operator and watcher in these tests fails loudly if any code changes a cached object.
        Informers = new InformerOptions { SilenceTimeout = TimeSpan.FromSeconds(20), InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200), DetectMutations = true },
        GracefulShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Leader election in the default namespace, fast enough for a takeover within a few seconds (3 s lease).</summary>
    public static OperatorOptions WithFastLeaderElection(OperatorOptions options) => options with
    {
        LeaderElection = true,
        LeaseNamespace = "default",
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(300),
    };

        public Task<JsonNode> CreatePoolAsync(string name) =>
        Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), PoolObject(name), CancellationToken.None);

    /// <summary>A GPUPool valid under the generated CRD, with a minimal worker template.</summary>
    public static JsonObject PoolObject(string name) => new()
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUPool",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["nodeManagerConfig"] = JsonNode.Parse("""{"nodeSelector":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"nvidia.com/gpu.present","operator":"In","values":["true"]}]}]}}"""),
                ["componentConfig"] = new JsonObject
                {
                    ["worker"] = new JsonObject
                    {
                        ["image"] = "tensorfusion/worker:test",
                        ["podTemplate"] = new JsonObject
                        {
                            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "tensorfusion/worker:test" }) },
                        },
                    },
                },
            },
        };

    public Task<JsonNode> CreateWorkloadAsync(string name, string pool, int? replicas, bool local = false, int? gpuCount = null) =>
        Direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(Namespace), WorkloadObject(name, pool, replicas, local, gpuCount), CancellationToken.None);

    /// <summary>A TensorFusionWorkload in <see cref="Namespace"/> asking 10–20 TFLOPs and 1–2 GiB per worker.</summary>
    public static JsonObject WorkloadObject(string name, string pool, int? replicas, bool local = false, int? gpuCount = null) => new()
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = TensorFusionWorkload.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["poolName"] = pool,
                ["replicas"] = replicas,
                ["isLocalGPU"] = local,
                ["gpuCount"] = gpuCount,
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["tflops"] = "10", ["vram"] = "1Gi" },
                    ["limits"] = new JsonObject { ["tflops"] = "20", ["vram"] = "2Gi" },
                },
            },
        };

    public Task PatchWorkloadSpecAsync(string name, JsonObject spec) =>
        Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(Namespace, name), new JsonObject { ["spec"] = spec }, CancellationToken.None);

    public Task DeleteWorkloadAsync(string name) => Direct.DeleteAsync(ResourceDescriptor.Workloads.ObjectPath(Namespace, name), null, CancellationToken.None);

    public IReadOnlyList<V1Pod> ActiveWorkers(string workload) =>
        Pods.List(pod => WorkerPods.IsWorker(pod) && WorkerPods.IsActive(pod) && pod.Metadata.Label(Api.Conventions.Labels.Workload) == workload);

    /// <summary>
    /// Completes when <paramref name="condition"/> holds over the informer's cache (checked on every change); fails
    /// naming <paramref name="what"/> after <paramref name="within"/> (default <see cref="Wait"/>).
    /// </summary>
    public static async Task WaitUntilAsync<T>(Informer<T> informer, Func<Informer<T>, bool> condition, string what, TimeSpan? within = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var limit = within ?? Wait;
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(informer))
            {
                met.TrySetResult();
            }
        }

        // Quarantined versions count as changes too: a condition may be about an object that does not decode.
        using var subscription = informer.Changes.Subscribe(_ => Check());
        using var quarantined = informer.Quarantined.Subscribe(_ => Check());
        if (condition(informer))
        {
            return;
        }

        try
        {
            await met.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting until {what}");
        }
    }

    public async Task WaitForWorkloadAsync(string name, Func<TensorFusionWorkload, bool> condition, string what)
    {
        try
        {
            await WaitUntilAsync(Workloads, informer => informer.Get(Namespace, name) is { } workload && condition(workload), what);
        }
        catch (Xunit.Sdk.FailException timedOut)
        {
            // The workload's status and its pods as the test saw them last: enough to tell a slow run from a stuck one.
            var status = Workloads.Get(Namespace, name)?.Status;
            var pods = Pods.List().Where(pod => pod.Metadata.Labels is { } labels && labels.TryGetValue(Api.Conventions.Labels.Workload, out var owner) && owner == name).Select(pod =>
                $"{pod.Metadata.Name} node={pod.Spec?.NodeName} phase={pod.Status?.Phase} deleting={pod.Metadata.DeletionTimestamp is not null} " +
                string.Join(";", (pod.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}:{c.Message}")));
            Assert.Fail($"{timedOut.Message}; status: phase {status?.Phase}, workers {status?.WorkerCount}, ready {status?.ReadyWorkers}; pods: [{string.Join(" | ", pods)}]");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_background).ContinueWith(static _ => { }, TaskScheduler.Default);
        await Server.DisposeAsync();
        _stop.Dispose();
        // The test's own caches are checked too: a test that changed a cached object fails here, naming it.
        if (_background.Select(run => run.Exception?.InnerException).OfType<CacheMutationException>().FirstOrDefault() is { } mutation)
        {
            throw mutation;
        }
    }

    private async Task BindAsync(V1Pod pod)
    {
        try
        {
            await Direct.CreateAsync<JsonNode>(ResourceDescriptor.Pods.ObjectPath(pod.Metadata.NamespaceProperty, pod.Metadata.Name) + "/binding", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Binding",
                ["metadata"] = new JsonObject { ["name"] = pod.Metadata.Name, ["namespace"] = pod.Metadata.NamespaceProperty },
                ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = NodeName },
            }, CancellationToken.None);
        }
        catch (ApiStatusException)
        {
            // Already bound or already gone.
        }
    }
}
