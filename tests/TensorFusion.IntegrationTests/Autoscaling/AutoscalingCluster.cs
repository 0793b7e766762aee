using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.IntegrationTests.Engine;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// The autoscaling side composed by hand on the embedded API server: the workload informer, an
/// <see cref="AllocationPipeline"/> rebuilt from pre-bound worker pods (one H100 per node, agents that accept every
/// plan), and an <see cref="AutoscalingService"/> ticking on a <see cref="FakeTimeProvider"/>. Each pass is awaited
/// through <see cref="AutoscalingService.PassCompleted"/>, never by sleeping.
/// </summary>
internal sealed class AutoscalingCluster : IAsyncDisposable
{
    public const string Ns = OperatorCluster.Namespace;
    public const double GiB = 1024d * 1024 * 1024;

    private readonly Channel<IReadOnlyList<AutoscaleDecision>> _passes = Channel.CreateUnbounded<IReadOnlyList<AutoscaleDecision>>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Kubernetes _kubernetes;
    private NodePlanDispatcher? _dispatcher;
    private Task? _run;
    private CancellationTokenSource? _serviceStop;

    private AutoscalingCluster(OperatorCluster cluster, DateTimeOffset start)
    {
        Cluster = cluster;
        Time = new FakeTimeProvider(start);
        _kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = cluster.Server.BaseUri.ToString(), AccessToken = cluster.Server.Token });
    }

    public OperatorCluster Cluster { get; }

    public FakeTimeProvider Time { get; }

    public AcceptingAgents Agents { get; } = new();

    public AllocationPipeline Pipeline { get; private set; } = null!;

    public AutoscalingService Service { get; private set; } = null!;

    public KubeRestClient Direct => Cluster.Direct;

    /// <summary>
    /// A cluster whose fake clock starts at <paramref name="start"/> (default: a day after now, past any initial delay,
    /// on a whole second so that query windows round-trip through Prometheus' millisecond timestamps).
    /// </summary>
    public static async Task<AutoscalingCluster> StartAsync(DateTimeOffset? start = null)
    {
        var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        return new AutoscalingCluster(cluster, start ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds()));
    }

    /// <summary>A workload with 100 TFLOPs / 20 GiB per worker (requests = limits), QoS medium, and this autoscaling config.</summary>
    public Task<JsonNode> CreateWorkloadAsync(string name, JsonObject autoScalingConfig) =>
        Direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(Ns), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = TensorFusionWorkload.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["poolName"] = "pool",
                ["qos"] = "medium",
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["tflops"] = "100", ["vram"] = "20Gi" },
                    ["limits"] = new JsonObject { ["tflops"] = "100", ["vram"] = "20Gi" },
                },
                ["autoScalingConfig"] = autoScalingConfig,
            },
        }, CancellationToken.None);

    /// <summary>A worker pod already bound to <paramref name="node"/>'s GPU with its allocation annotations (as after a bind).</summary>
    public Task<V1Pod> CreateBoundWorkerAsync(string name, string workload, string node, int tflops, long vramBytes) =>
        Direct.CreateAsync(ResourceDescriptor.Pods.CollectionPath(Ns), new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Ns,
                Labels = new Dictionary<string, string> { [Labels.Workload] = workload },
                Annotations = new Dictionary<string, string>
                {
                    [Annotations.GpuPool] = "pool",
                    [Annotations.GpuIds] = $"{node}-g0",
                    [Annotations.TflopsRequest] = tflops.ToString(CultureInfo.InvariantCulture),
                    [Annotations.TflopsLimit] = tflops.ToString(CultureInfo.InvariantCulture),
                    [Annotations.VramRequest] = vramBytes.ToString(CultureInfo.InvariantCulture),
                    [Annotations.VramLimit] = vramBytes.ToString(CultureInfo.InvariantCulture),
                },
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                SchedulerName = WorkerRequestMapper.SchedulerName,
                Containers = [new V1Container { Name = "worker", Image = "tensorfusion/worker" }],
            },
        }, CancellationToken.None);

    /// <summary>Rebuilds the allocator from the pods now in the API server (one H100 per node) and pushes every node's plan.</summary>
    public async Task StartPipelineAsync(params string[] nodes)
    {
        var inventory = new AllocationInventory(
            [.. nodes.Select(node => new NodeSpec(node, "pool", new Dictionary<string, string>(), [new GpuSpec($"{node}-g0", 0, "H100")]))],
            [new PoolSpec("pool")], []);
        _dispatcher = new NodePlanDispatcher(Agents, TimeProvider.System);
        Pipeline = new AllocationPipeline(new AllocationEngine(GpuModelCatalog.Default), new RestAllocationWriter(Direct, TimeProvider.System),
            _dispatcher, TimeProvider.System);
        var pods = await Direct.GetAsync<V1PodList>(ResourceDescriptor.Pods.CollectionPath(Ns), CancellationToken.None);
        var report = await Pipeline.StartAsync(inventory, pods.Items, CancellationToken.None);
        Assert.Empty(report.Conflicts);
        foreach (var node in nodes)
        {
            await WaitForPlanAsync(node);
        }
    }

    /// <summary>Starts the service (first pass at once, then one per minute of fake time) and awaits its first pass.</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> StartServiceAsync(
        IUsageSource usage, IExternalScaler? externalScaler = null, bool scaleUpCap = false, AutoscalingOptions? options = null, AutoscalingMetrics? metrics = null)
    {
        await OperatorCluster.WaitUntilAsync(Cluster.Workloads, informer => informer.Count > 0, "the workload is in the cache");
        Service = new AutoscalingService(Cluster.Workloads, Direct, Pipeline, usage, Time, options ?? new AutoscalingOptions { Tick = TimeSpan.FromMinutes(1) },
            metrics: metrics,
            externalScaler: externalScaler,
            headroom: scaleUpCap ? Pipeline.HeadroomOf : null);
        Service.PassCompleted += decisions => _passes.Writer.TryWrite(decisions);
        _serviceStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var stopping = _serviceStop.Token;
        _run = Task.Run(() => Service.RunAsync(stopping));
        return await NextPassAsync();
    }

    /// <summary>Stops the running service, as an operator restart would (its in-memory history goes with it).</summary>
    public async Task StopServiceAsync()
    {
        await _serviceStop!.CancelAsync();
        await _run!.ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(OperatorCluster.Wait);
        _serviceStop.Dispose();
        _serviceStop = null;
    }

    /// <summary>Moves the fake clock one tick (or <paramref name="by"/>, one pass however far) and awaits the pass it triggers.</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> TickAsync(TimeSpan? by = null)
    {
        Time.Advance(by ?? TimeSpan.FromMinutes(1));
        return await NextPassAsync();
    }

    public Task<TensorFusionWorkload> ReadWorkloadAsync(string name) =>
        Direct.GetAsync<TensorFusionWorkload>(ResourceDescriptor.Workloads.ObjectPath(Ns, name), CancellationToken.None);

    public async Task<string> AnnotationAsync(string pod, string key) =>
        (await Direct.GetAsync<V1Pod>(ResourceDescriptor.Pods.ObjectPath(Ns, pod), CancellationToken.None)).Metadata.Annotations[key];

    /// <summary>Awaits the agent's acknowledgement of the newest plan pushed to <paramref name="node"/>.</summary>
    public async Task WaitForPlanAsync(string node)
    {
        using var timeout = new CancellationTokenSource(OperatorCluster.Wait);
        await _dispatcher!.WaitAcknowledgedAsync(node, _dispatcher.AckOf(node)!.PushedGeneration, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        if (Pipeline is not null)
        {
            await Pipeline.DisposeAsync();
        }

        if (_dispatcher is not null)
        {
            await _dispatcher.DisposeAsync();
        }

        _serviceStop?.Dispose();
        _kubernetes.Dispose();
        await Cluster.DisposeAsync();
        _stop.Dispose();
    }

    private async Task<IReadOnlyList<AutoscaleDecision>> NextPassAsync()
    {
        try
        {
            return await _passes.Reader.ReadAsync().AsTask().WaitAsync(OperatorCluster.Wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no autoscaling pass within {OperatorCluster.Wait.TotalSeconds} s (last error: {Service.LastPassError ?? Service.Loop.LastStatusWriteError})");
            throw;
        }
    }
}
