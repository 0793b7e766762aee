using System.Reactive.Linq;
using System.Runtime.ExceptionServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Prometheus;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Health;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Leadership;
using TensorFusion.Pipelines.Metrics;
using TensorFusion.Pipelines.Quarantine;
using TensorFusion.Pipelines.Queue;
using TensorFusion.Pipelines.Status;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Operating;

/// <summary>
/// The operator, embeddable: informers for every kind, the workload controller, the allocation pipeline, optional
/// leader election. Caches fill from start (standbys stay warm); reconciles and allocation start only once every cache
/// has synced and, with leader election, only while this process holds the Lease (a new leader rebuilds allocation
/// state from the pods). Losing the Lease aborts in-flight reconciles at once and makes <see cref="RunAsync"/> throw
/// <see cref="LeadershipLostException"/>; a faulted allocation pipeline makes it throw
/// <see cref="AllocationFaultedException"/>; a cached object changed in place (with
/// <see cref="InformerOptions.DetectMutations"/>) makes it throw <see cref="CacheMutationException"/>; cancelling drains in-flight work (bounded by
/// <see cref="OperatorOptions.GracefulShutdownTimeout"/>) and releases the Lease.
/// </summary>
public sealed partial class TensorFusionOperator
{
    public const string WorkloadController = "tensorfusionworkload";

    /// <summary>The controller that states why a stored object is quarantined (condition and event), for every kind.</summary>
    public const string QuarantineController = "quarantine";

    /// <summary>The controller that reports sick GPUs on the workers that run on them (condition and workload event).</summary>
    public const string GpuHealthController = "gpuhealth";

    private readonly KubeRestClient _client;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly OperatorMetrics _metrics;
    private readonly List<IInformer> _informers = [];
    private readonly WorkloadCaches _caches;
    private readonly InventoryCaches _inventory;
    private readonly AllocationMetrics _allocationMetrics;
    private readonly AgentAccess _agents;
    private readonly AutoscalingAccess? _autoscaling;
    private readonly AutoscalingMetrics _autoscalingMetrics;
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly Task Never = new TaskCompletionSource().Task;
    private LeaseElector? _elector;
    private AllocationFaultedException? _allocationFault;

    /// <param name="client">API server client (informers and writes).</param>
    /// <param name="options">Validated settings.</param>
    /// <param name="time">Clock for every delay.</param>
    /// <param name="registry">Where the operator's metrics are registered.</param>
    /// <param name="random">Jitter source.</param>
    /// <param name="agents">How node agents are reached; null leaves every plan unacknowledged ("no agent access configured").</param>
    /// <param name="autoscaling">How the autoscaler reads usage; null runs no autoscaler.</param>
    public TensorFusionOperator(KubeRestClient client, OperatorOptions options, TimeProvider time, CollectorRegistry registry, Random? random = null, AgentAccess? agents = null,
        AutoscalingAccess? autoscaling = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problem = options.Validate();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _client = client;
        _options = options;
        _time = time;
        _random = random ?? new Random();
        _metrics = new OperatorMetrics(registry);
        _caches = new WorkloadCaches(
            Add<TensorFusionWorkload>(ResourceDescriptor.Workloads),
            Add<GpuPool>(ResourceDescriptor.GpuPools),
            Add<V1Pod>(ResourceDescriptor.Pods, Labels.Workload),
            Add<WorkloadProfile>(ResourceDescriptor.WorkloadProfiles));
        var gpuNodes = Add<GpuNode>(ResourceDescriptor.GpuNodes);
        _caches = _caches with { GpuNodes = gpuNodes, Connections = Add<TensorFusionConnection>(ResourceDescriptor.Connections) };
        _caches.IndexPods();
        GpuHealthReporting.IndexPodsByNode(_caches.Pods);
        _caches.IndexConnections();
        _caches.Pods.TrimEachObject(PodCacheTrim.Apply);
        _caches.Workloads.ValidateEachObject(SpecChecks.Workload);
        _caches.Profiles.ValidateEachObject(SpecChecks.Profile);
        _caches.Pools.ValidateEachObject(pool => SpecChecks.Quantities(pool.Spec));
        var gpus = Add<Api.Gpus.Gpu>(ResourceDescriptor.Gpus);
        var templates = Add<SchedulingConfigTemplate>(ResourceDescriptor.SchedulingConfigTemplates);
        var quotas = Add<GpuResourceQuota>(ResourceDescriptor.GpuResourceQuotas);
        quotas.ValidateEachObject(quota => SpecChecks.Quantities(quota.Spec));
        templates.ValidateEachObject(template => SpecChecks.Quantities(template.Spec));
        _inventory = new InventoryCaches(gpus, gpuNodes, quotas, templates, Add<V1Node>(ResourceDescriptor.Nodes));
        _allocationMetrics = new AllocationMetrics(registry);
        _agents = agents ?? AgentAccess.Fixed(new UnconfiguredAgents());
        _autoscaling = autoscaling;
        _autoscalingMetrics = new AutoscalingMetrics(registry);
    }

    /// <summary>The running autoscaler while this process leads and allocates; null otherwise.</summary>
    public AutoscalingService? Autoscaler { get; private set; }

    /// <summary>Raised when this process starts allocating (after the rebuild, while leading): the autoscaler resizes through it.</summary>
    public event Action<AllocationPipeline>? AllocationStarted;

    /// <summary>Raised for every contradicting allocation found at rebuild or on an inventory change.</summary>
    public event Action<string>? AllocationConflict;

    /// <summary>The running allocation pipeline while this process leads; null otherwise.</summary>
    public AllocationPipeline? Allocation { get; private set; }

    /// <summary>GPU, GPUNode, quota, template and Node caches (shared: callers must not modify the objects).</summary>
    public InventoryCaches Inventory => _inventory;

    /// <summary>Every cache has synced (the /readyz answer).</summary>
    public bool IsReady => _informers.All(informer => informer.HasSynced);

    public bool IsLeader => !_options.LeaderElection || _elector?.IsLeader == true;

    /// <summary>Completes when this process first starts leading (at once without leader election): an event to await, not to poll.</summary>
    public Task Leading => _leading.Task;

    public WorkloadCaches Caches => _caches;

    /// <summary>Every informer the operator runs (start-up waits until each has synced, or fails naming those that did not).</summary>
    public IReadOnlyList<IInformer> Informers => _informers;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // An informer ends early only on a fault it must not heal (a mutated cache): the operator stops with it.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellationToken = stopping.Token;
        using var informerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (reconcileMetrics, queueMetrics) = _metrics.ForController(WorkloadController);
        using var queue = new WorkQueue<string>(_time, null, queueMetrics);
        using var subscription = WorkloadTriggers.Keys(_caches).Subscribe(queue.Add, _ => { }, () => { });
        // A quarantined workload being deleted still needs its finalizer removed by the workload controller.
        using var quarantinedWorkloads = _caches.Workloads.Quarantined.Subscribe(invalid => queue.Add(invalid.Key), _ => { }, () => { });
        var (quarantineMetrics, quarantineQueueMetrics) = _metrics.ForController(QuarantineController);
        using var quarantineQueue = new WorkQueue<string>(_time, null, quarantineQueueMetrics);
        using var quarantined = _informers.Select(informer => informer.Quarantined).Merge().Subscribe(invalid => quarantineQueue.Add(QuarantineKeys.Of(invalid)), _ => { }, () => { });
        var (gpuHealthMetrics, gpuHealthQueueMetrics) = _metrics.ForController(GpuHealthController);
        using var gpuHealthQueue = new WorkQueue<string>(_time, null, gpuHealthQueueMetrics);
        using var gpuHealthTriggers = GpuHealthReporting.Keys(_caches.Pods, _inventory.Gpus).Subscribe(gpuHealthQueue.Add, _ => { }, () => { });
        LogStarting(_options.Logger, _informers.Count, _options.LeaderElection ? $"on (Lease {_options.LeaseNamespace}/{_options.LeaseName}, identity {_options.Identity})" : "off");
        var informerTasks = _informers.Select(informer => Task.Run(() => informer.RunAsync(informerStop.Token), CancellationToken.None)).ToList();
        Exception? informerFault = null;
        var informerWatch = StopOnFaultAsync();
        try
        {
            await WaitForCachesAsync(cancellationToken);
            var quarantinedAtSync = _informers.Sum(informer => informer.ListInvalid().Count);
            LogCachesSynced(_options.Logger, quarantinedAtSync);
            var reconciler = new WorkloadReconciler(_caches, _client, new StatusPatcher(_client, _time), new EventRecorder(_client, _time), _time, _options.DraClaims);
            var loopOptions = new ReconcileLoopOptions { MaxConcurrentReconciles = _options.MaxConcurrentReconciles, Logger = _options.Logger };
            using var loop = new ReconcileLoop<string>(queue, reconciler, loopOptions, _time, reconcileMetrics);
            var quarantine = new QuarantineReconciler(_informers.ToDictionary(informer => informer.Kind), _client, new StatusPatcher(_client, _time), new EventRecorder(_client, _time), _time, _options.Logger);
            using var quarantineLoop = new ReconcileLoop<string>(quarantineQueue, quarantine, loopOptions with { MaxConcurrentReconciles = 1 }, _time, quarantineMetrics);
            var gpuHealth = new GpuHealthReconciler(_caches.Pods, _inventory.Gpus, _client, new EventRecorder(_client, _time), _time);
            using var gpuHealthLoop = new ReconcileLoop<string>(gpuHealthQueue, gpuHealth, loopOptions with { MaxConcurrentReconciles = 1 }, _time, gpuHealthMetrics);
            ReconcileLoop<string>[] sideLoops = [quarantineLoop, gpuHealthLoop];
            if (!_options.LeaderElection)
            {
                await RunLeadingAsync(loop, sideLoops, Never, cancellationToken);
                ThrowIfAllocationFaulted();
                return;
            }

            _elector = new LeaseElector(_client, _options.LeaseNamespace, _options.LeaseName, _options.Identity, _options.LeaseDuration, _options.RenewDeadline, _options.RetryPeriod, _time, _random, _options.Logger);
            var elector = _elector;
            var lost = await elector.RunAsync(leading => RunLeadingAsync(loop, sideLoops, elector.Deposed, leading), cancellationToken);
            ThrowIfAllocationFaulted();
            if (lost)
            {
                throw new LeadershipLostException($"lost the Lease {_options.LeaseNamespace}/{_options.LeaseName}; stopped writing");
            }
        }
        finally
        {
            await informerStop.CancelAsync();
            await Task.WhenAll(informerTasks).ContinueWith(static _ => { }, TaskScheduler.Default);
            await informerWatch;
            // An informer may also find a mutation at its last check, while stopping.
            informerFault ??= informerTasks.Select(task => task.Exception?.InnerException).FirstOrDefault(fault => fault is not null);
            LogStopped(_options.Logger);
            if (informerFault is not null)
            {
                ExceptionDispatchInfo.Throw(informerFault);
            }
        }

        async Task StopOnFaultAsync()
        {
            var ended = await Task.WhenAny(informerTasks);
            if (ended.Exception?.InnerException is { } fault)
            {
                informerFault = fault;
                await stopping.CancelAsync();
            }
        }
    }

    private async Task WaitForCachesAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.CacheSyncTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await Task.WhenAll(_informers.Select(informer => informer.WaitForSyncAsync(linked.Token)));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var missing = string.Join(", ", _informers.Where(informer => !informer.HasSynced).Select(informer => informer.Kind));
            throw new TimeoutException($"caches did not sync within {_options.CacheSyncTimeout} ({missing}); is the API server reachable and are the CRDs installed?");
        }
    }

    /// <summary>
    /// One leadership term: the reconcile loop and the allocation pipeline side by side; a pipeline fault ends both.
    /// When the term ends by a stop, each drains its in-flight work (bounded by GracefulShutdownTimeout); when
    /// <paramref name="deposed"/> completes (the Lease was lost, also mid-drain) they abort at once.
    /// </summary>
    private async Task RunLeadingAsync(ReconcileLoop<string> loop, IReadOnlyList<ReconcileLoop<string>> sideLoops, Task deposed, CancellationToken leading)
    {
        LogLeading(_options.Logger, _options.EnableAllocation);
        _leading.TrySetResult();
        using var term = CancellationTokenSource.CreateLinkedTokenSource(leading);
        var allocation = _options.EnableAllocation ? RunAllocationAsync(term, deposed) : Task.CompletedTask;
        // The quarantine and GPU-health reporters run beside the workload loop and end with it.
        var sides = sideLoops.Select(side => RunLoopAsync(side, deposed, term.Token)).ToList();
        await RunLoopAsync(loop, deposed, term.Token);
        await term.CancelAsync();
        await Task.WhenAll(sides);
        await allocation;
        LogTermEnded(_options.Logger);
    }

    private async Task RunAllocationAsync(CancellationTokenSource term, Task deposed)
    {
        // Under leader election this term's plans outrank every earlier leader's and are fenced by every later one's.
        var generations = _options.LeaderElection && _elector is { } elector ? PlanGenerations.ForTerm(elector.Transitions) : PlanGenerations.Unfenced();
        var controller = new AllocationController(_client, _caches, _inventory, _options, _agents, _time, _allocationMetrics, generations);
        Task? autoscaler = null;
        controller.Started += pipeline =>
        {
            Allocation = pipeline;
            AllocationStarted?.Invoke(pipeline);
            autoscaler = RunAutoscalerAsync(pipeline, term.Token);
        };
        controller.ConflictFound += conflict =>
        {
            LogAllocationConflict(_options.Logger, conflict);
            AllocationConflict?.Invoke(conflict);
        };
        try
        {
            await Task.Yield();
            await controller.RunAsync(term.Token, deposed);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // The term ended (stop or lost Lease) while rebuilding.
        }
        catch (AllocationFaultedException fault)
        {
            LogAllocationFaulted(_options.Logger, fault.Message);
            _allocationFault = fault;
            await term.CancelAsync();
        }
        catch (Exception e) when (ApiErrors.IsTransient(e))
        {
            _allocationFault = new AllocationFaultedException($"the allocation pipeline could not start: {e.Message}", e);
            await term.CancelAsync();
        }
        finally
        {
            Allocation = null;
            await (autoscaler ?? Task.CompletedTask);
        }
    }

    /// <summary>The autoscaler for this term, resizing through <paramref name="pipeline"/>; it ends with the term.</summary>
    private async Task RunAutoscalerAsync(AllocationPipeline pipeline, CancellationToken term)
    {
        if (_autoscaling is null)
        {
            return;
        }

        var addresses = new AgentAddressBook(name => _inventory.GpuNodes.Get(null, name), name => _inventory.Nodes.Get(null, name), _options.AgentPort, _options.AgentEndpointAnnotation);
        Autoscaler = AutoscalingService.ForAllocation(_caches.Workloads, _client, pipeline, _autoscaling,
            () => [.. _inventory.GpuNodes.List().Select(node => node.Metadata.Name)], addresses.Resolve, _time, _options.Autoscaling with { Logger = _options.Logger }, _autoscalingMetrics);
        try
        {
            await Task.Yield();
            await Autoscaler.RunAsync(term);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // The term ended.
        }
        finally
        {
            Autoscaler = null;
        }
    }

    private void ThrowIfAllocationFaulted()
    {
        if (_allocationFault is { } fault)
        {
            throw fault;
        }
    }

    private async Task RunLoopAsync(ReconcileLoop<string> loop, Task deposed, CancellationToken stopping)
    {
        var run = loop.RunAsync(stopping);
        await Task.WhenAny(run, Task.Delay(Timeout.InfiniteTimeSpan, stopping)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if ((deposed.IsCompleted || _allocationFault is not null) && stopping.IsCancellationRequested)
        {
            // Leadership lost or allocation faulted: stop writing now, no drain.
            loop.Abort();
        }

        // A graceful stop drains, until the bound or until the Lease is lost meanwhile.
        var drained = await Task.WhenAny(run, Task.Delay(_options.GracefulShutdownTimeout, _time, CancellationToken.None), deposed) == run;
        if (!drained)
        {
            loop.Abort();
        }

        await run;
    }

    private Informer<T> Add<T>(ResourceDescriptor resource, string? labelSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(_client, resource, _options.Informers with { LabelSelector = labelSelector, Logger = _options.Logger }, _time, _random, _metrics.ForKind(resource.Kind));
        _informers.Add(informer);
        return informer;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator starting: {Informers} informers, leader election {LeaderElection}")]
    private static partial void LogStarting(ILogger logger, int informers, string leaderElection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caches synced ({Quarantined} stored objects quarantined)")]
    private static partial void LogCachesSynced(ILogger logger, int quarantined);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leading: reconciling workloads and quarantined objects; allocation {Allocation}")]
    private static partial void LogLeading(ILogger logger, bool allocation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leadership term ended: controllers and allocation stopped")]
    private static partial void LogTermEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator stopped: informers ended")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation conflict (recorded allocations contradict each other or the inventory): {Conflict}")]
    private static partial void LogAllocationConflict(ILogger logger, string conflict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping: {Message}")]
    private static partial void LogAllocationFaulted(ILogger logger, string message);
}
