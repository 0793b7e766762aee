using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.Cdi;
using TensorFusion.Agent.DeviceDelivery.Dra;
using TensorFusion.Agent.Registration;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.LocalCluster.Controllers.Dra;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.AgentTrust;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// The embedded control plane (no test binder) plus real node agents on the simulator backend, each registering its
/// GPUs and publishing its endpoint on its GPUNode, and operators that reach them with the agents' shared secret.
/// </summary>
internal sealed class EngineCluster : IAsyncDisposable
{
    public const string Pool = "pool-a";
    public const string Token = "engine-test-agent-token-0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tf-engine-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, NodeAgent> _agents = new(StringComparer.Ordinal);
    private readonly HttpClient _agentHttp;
    private Kubernetes _kubernetes = null!;

    private EngineCluster(OperatorCluster cluster)
    {
        Cluster = cluster;
        Trust = new AgentChannelTrust(Authority.TrustAnchor);
        _agentHttp = new HttpClient(Trust.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public OperatorCluster Cluster { get; }

    /// <summary>The operators' agent CA: every agent here serves a certificate it issued for its node.</summary>
    public AgentCertificateAuthority Authority { get; } = AgentCertificateAuthority.InMemory(DateTimeOffset.UtcNow);

    /// <summary>The operators' TLS trust in the agents (the CA above, the node's name checked).</summary>
    public AgentChannelTrust Trust { get; }

    /// <summary>An HTTP client for agents, trusting <see cref="Authority"/> as the operators do.</summary>
    public HttpClient AgentHttp => _agentHttp;

    public IReadOnlyDictionary<string, NodeAgent> Agents => _agents;

    public static async Task<EngineCluster> StartAsync(bool prepareResourceClaims = true)
    {
        var engine = new EngineCluster(await OperatorCluster.StartAsync(bindWorkers: false, prepareResourceClaims));
        Directory.CreateDirectory(engine._directory);
        var server = engine.Cluster.Server;
        engine._kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString(), AccessToken = server.Token });
        await engine.Cluster.CreatePoolAsync(Pool);
        return engine;
    }

    /// <summary>
    /// Adds a Kubernetes node and starts its agent with <paramref name="gpus"/> simulated GPUs of <paramref name="model"/>;
    /// with <paramref name="dra"/> the agent is the node's DRA plugin and the node's simulated kubelet prepares claims with it.
    /// </summary>
    /// <remarks>With <paramref name="metricsAuthorizer"/> the agent runs with --metrics-auth.</remarks>
    public async Task<NodeAgent> AddGpuNodeAsync(
        string name, string model = "H100-80GB", int gpus = 2, IAcceleratorDevice? device = null, bool dra = false, DelegatedAuthorizer? metricsAuthorizer = null)
    {
        var state = Path.Combine(_directory, name);
        var delivery = dra
            ? new DeviceDeliveryOptions
            {
                CdiDirectory = Path.Combine(state, "cdi"),
                LimiterDirectory = Path.Combine(state, "limiter"),
                PluginDirectory = Path.Combine(state, "plugins", DraDriver.Name),
                RegistryDirectory = Path.Combine(state, "plugins_registry"),
                Resolver = new KubernetesWorkerResolver(_kubernetes),
            }
            : null;
        var kubelet = delivery is null ? null : new SimulatedKubeletPaths(delivery.RegistryDirectory, [delivery.CdiDirectory], [CdiNames.NvidiaGpuKind]);
        if (Cluster.Server.Store.Get("nodes", string.Empty, name) is null)
        {
            await Cluster.Server.AddSimulatedNodeAsync(name, kubelet: kubelet);
        }
        else if (kubelet is not null)
        {
            await Cluster.Server.SetSimulatedKubeletPathsAsync(name, kubelet);
        }

        var port = FreeLoopbackPort();
        var agent = await NodeAgent.StartAsync(new AgentOptions
        {
            NodeName = name,
            Port = port,
            StateDirectory = state,
            MetricsAuthorizer = metricsAuthorizer,
            Delivery = delivery,
            TokenChecker = new SharedSecretTokenChecker(Token),
            ServingCertificate = AgentTrust.TestAgentCertificates.Source(Authority, name),
            Pool = Pool,
            Simulator = device is null ? new SimulatorOptions(model, gpus, $"GPU-{name}-") : null,
            Device = device,
            Registrar = new KubernetesNodeRegistrar(_kubernetes, "test", new Uri($"https://127.0.0.1:{port}/")),
        }, CancellationToken.None);
        _agents[name] = agent;
        return agent;
    }

    public async Task StopAgentAsync(string name)
    {
        await _agents[name].DisposeAsync();
        _agents.Remove(name);
    }

    /// <summary>Starts an operator that reaches the agents over HTTP with their token; <paramref name="started"/> completes with its pipeline.</summary>
    public RunningOperator StartOperator(
        out Task<AllocationPipeline> started, OperatorOptions? options = null, FaultInjectingHandler? faults = null, Action<TensorFusionOperator>? configure = null, TimeProvider? time = null)
    {
        faults ??= new FaultInjectingHandler();
        var client = KubeRestClient.WithBearerToken(new HttpClient(faults) { Timeout = Timeout.InfiniteTimeSpan }, Cluster.Server.BaseUri, Cluster.Server.Token);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var tensorFusion = new TensorFusionOperator(client, options ?? FastOptions(), time ?? TimeProvider.System, registry, new Random(7),
            AgentAccess.OverTls(_agentHttp, Trust, () => Token, TimeSpan.FromSeconds(5)));
        var pipeline = new TaskCompletionSource<AllocationPipeline>(TaskCreationOptions.RunContinuationsAsynchronously);
        tensorFusion.AllocationStarted += p => pipeline.TrySetResult(p);
        configure?.Invoke(tensorFusion);
        started = pipeline.Task;
        return new RunningOperator(tensorFusion, faults, registry);
    }

    /// <summary>Fast settings; agents share 127.0.0.1 here as in local mode, so their endpoint annotations are honoured.</summary>
    public static OperatorOptions FastOptions() => OperatorCluster.FastOptions() with
    {
        AgentEndpointAnnotation = true,
        AgentMaxBackoff = TimeSpan.FromMilliseconds(500),
        Allocation = new AllocationPipelineOptions { BatchWindow = TimeSpan.FromMilliseconds(20), WriteRetryDelay = TimeSpan.FromMilliseconds(100) },
    };

    /// <summary>A workload in the test pool with per-worker request = limit of <paramref name="tflops"/> and <paramref name="vram"/>.</summary>
    public Task<JsonNode> CreateWorkloadAsync(
        string name, int replicas, string tflops, string vram, string qos = "medium", string? isolation = null, string? evictionProtection = null,
        JsonObject? extraSpec = null)
    {
        var resources = new JsonObject { ["tflops"] = tflops, ["vram"] = vram };
        var spec = new JsonObject
        {
            ["poolName"] = Pool,
            ["replicas"] = replicas,
            ["qos"] = qos,
            ["resources"] = new JsonObject { ["requests"] = resources, ["limits"] = resources.DeepClone() },
        };
        if (isolation is not null)
        {
            spec["isolation"] = isolation;
        }

        foreach (var (key, value) in extraSpec ?? [])
        {
            spec[key] = value?.DeepClone();
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = OperatorCluster.Namespace };
        if (evictionProtection is not null)
        {
            metadata["annotations"] = new JsonObject { [Annotations.EvictionProtection] = evictionProtection };
        }

        return Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "TensorFusionWorkload",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }, CancellationToken.None);
    }

    /// <summary>A GPUResourceQuota for the test namespace allowing at most <paramref name="maxWorkers"/> workers.</summary>
    public Task<JsonNode> CreateQuotaAsync(int maxWorkers) =>
        Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuResourceQuotas.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUResourceQuota",
            ["metadata"] = new JsonObject { ["name"] = "quota", ["namespace"] = OperatorCluster.Namespace },
            ["spec"] = new JsonObject { ["total"] = new JsonObject { ["maxWorkers"] = maxWorkers } },
        }, CancellationToken.None);

    /// <summary>Waits until the API server holds an event about <paramref name="pod"/> with <paramref name="reason"/>; returns it.</summary>
    public async Task<Corev1Event> WaitForEventAsync(string pod, string reason)
    {
        using var events = new Informer<Corev1Event>(Cluster.Direct, ResourceDescriptor.Events, new InformerOptions(), TimeProvider.System, new Random(3));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => events.RunAsync(stop.Token));
        try
        {
            bool Matches(Corev1Event e) => e.InvolvedObject?.Name == pod && e.Reason == reason;
            await OperatorCluster.WaitUntilAsync(events, informer => informer.List(Matches).Count > 0, $"an event {reason} about {pod}");
            return events.List(Matches)[0];
        }
        finally
        {
            await stop.CancelAsync();
            await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public IReadOnlyList<V1Pod> PendingWorkers(string workload) =>
        Cluster.ActiveWorkers(workload).Where(pod => string.IsNullOrEmpty(pod.Spec?.NodeName)).ToArray();

    public IReadOnlyList<V1Pod> RunningWorkers(string workload) =>
        Cluster.ActiveWorkers(workload).Where(pod => pod.Status?.Phase == "Running").ToArray();

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        await Cluster.DisposeAsync();
        _kubernetes.Dispose();
        _agentHttp.Dispose();
        Authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
