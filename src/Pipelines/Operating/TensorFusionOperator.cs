using k8s;
using k8s.Models;
using Prometheus;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Scheduling;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Leadership;
using TensorFusion.Pipelines.Metrics;
using TensorFusion.Pipelines.Queue;
using TensorFusion.Pipelines.Status;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Operating;

/// <summary>
/// The operator, embeddable: informers for every kind, the workload controller, optional leader election. Caches
/// fill from start (standbys stay warm); reconciles start only once every cache has synced and, with leader election,
/// only while this process holds the Lease. Losing the Lease aborts in-flight reconciles at once and makes
/// <see cref="RunAsync"/> throw <see cref="LeadershipLostException"/>; cancelling drains in-flight work (bounded by
/// <see cref="OperatorOptions.GracefulShutdownTimeout"/>) and releases the Lease.
/// </summary>
public sealed class TensorFusionOperator
{
    public const string WorkloadController = "tensorfusionworkload";

    private readonly KubeRestClient _client;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly OperatorMetrics _metrics;
    private readonly List<IInformer> _informers = [];
    private readonly WorkloadCaches _caches;
    private LeaseElector? _elector;

    public TensorFusionOperator(KubeRestClient client, OperatorOptions options, TimeProvider time, CollectorRegistry registry, Random? random = null)
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
            Add<WorkloadProfile>(ResourceDescriptor.WorkloadProfiles))
        {
            GpuNodes = Add<GpuNode>(ResourceDescriptor.GpuNodes),
        };
        Add<Api.Gpus.Gpu>(ResourceDescriptor.Gpus);
        Add<SchedulingConfigTemplate>(ResourceDescriptor.SchedulingConfigTemplates);
        Add<GpuResourceQuota>(ResourceDescriptor.GpuResourceQuotas);
        Add<V1Node>(ResourceDescriptor.Nodes);
    }

    /// <summary>Every cache has synced (the /readyz answer).</summary>
    public bool IsReady => _informers.All(informer => informer.HasSynced);

    public bool IsLeader => !_options.LeaderElection || _elector?.IsLeader == true;

    public WorkloadCaches Caches => _caches;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var informerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (reconcileMetrics, queueMetrics) = _metrics.ForController(WorkloadController);
        using var queue = new WorkQueue<string>(_time, null, queueMetrics);
        using var subscription = WorkloadTriggers.Keys(_caches).Subscribe(queue.Add, _ => { }, () => { });
        var informerTasks = _informers.Select(informer => Task.Run(() => informer.RunAsync(informerStop.Token), CancellationToken.None)).ToList();
        try
        {
            await WaitForCachesAsync(cancellationToken);
            var reconciler = new WorkloadReconciler(_caches, _client, new StatusPatcher(_client, _time), new EventRecorder(_client, _time), _time);
            using var loop = new ReconcileLoop<string>(queue, reconciler, new ReconcileLoopOptions { MaxConcurrentReconciles = _options.MaxConcurrentReconciles }, _time, reconcileMetrics);
            if (!_options.LeaderElection)
            {
                await RunLoopAsync(loop, cancellationToken);
                return;
            }

            _elector = new LeaseElector(_client, _options.LeaseNamespace, _options.LeaseName, _options.Identity, _options.LeaseDuration, _options.RenewDeadline, _options.RetryPeriod, _time, _random);
            var lost = await _elector.RunAsync(leading => RunLoopAsync(loop, leading, abortOnStop: !cancellationToken.IsCancellationRequested), cancellationToken);
            if (lost)
            {
                throw new LeadershipLostException($"lost the Lease {_options.LeaseNamespace}/{_options.LeaseName}; stopped writing");
            }
        }
        finally
        {
            await informerStop.CancelAsync();
            await Task.WhenAll(informerTasks).ContinueWith(static _ => { }, TaskScheduler.Default);
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

    private async Task RunLoopAsync(ReconcileLoop<string> loop, CancellationToken stopping, bool abortOnStop = false)
    {
        var run = loop.RunAsync(stopping);
        await Task.WhenAny(run, Task.Delay(Timeout.InfiniteTimeSpan, stopping)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (abortOnStop && stopping.IsCancellationRequested)
        {
            // Leadership lost (the outer token is still live): stop writing now, no drain.
            loop.Abort();
        }

        var drained = await Task.WhenAny(run, Task.Delay(_options.GracefulShutdownTimeout, _time)) == run;
        if (!drained)
        {
            loop.Abort();
        }

        await run;
    }

    private Informer<T> Add<T>(ResourceDescriptor resource, string? labelSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(_client, resource, _options.Informers with { LabelSelector = labelSelector }, _time, _random, _metrics.ForKind(resource.Kind));
        _informers.Add(informer);
        return informer;
    }
}
