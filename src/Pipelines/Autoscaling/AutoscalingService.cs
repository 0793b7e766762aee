using Microsoft.Extensions.Logging;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Aggregation;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// The autoscaler as the operator runs it while leading: on every tick (on the <see cref="TimeProvider"/>) it maps each
/// autoscaled workload in the cache to an <see cref="AutoscaleTarget"/>, runs the <see cref="AutoscalingLoop"/> (usage →
/// estimators → recommendation → in-place resize through the <see cref="IAllocationPort"/>) and writes status through
/// <see cref="KubernetesWorkloadStatusWriter"/>. Like upstream, what this process last wrote is authoritative over a
/// cache that may not have caught up yet; a workload deleted or recreated (new uid) starts over. Pass
/// <c>headroom</c> (for the allocation pipeline: <see cref="IAllocationPort.HeadroomOf"/>)
/// to cap scale-ups by what the workers' GPUs can still give.
/// </summary>
public sealed partial class AutoscalingService
{
    private readonly Informer<TensorFusionWorkload> _workloads;
    private readonly AutoscalingOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, string?> _uids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Uid, WorkloadResources Recommendation, string? CronRule)> _written = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public AutoscalingService(
        Informer<TensorFusionWorkload> workloads,
        KubeRestClient client,
        IAllocationPort resizer,
        IUsageSource usage,
        TimeProvider time,
        AutoscalingOptions? options = null,
        AutoscalingMetrics? metrics = null,
        IExternalScaler? externalScaler = null,
        Func<string, string, IReadOnlyList<GpuHeadroom>>? headroom = null)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        _options = options ?? new AutoscalingOptions();
        if (_options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _workloads = workloads;
        _time = time;
        Writer = new KubernetesWorkloadStatusWriter(client, time, new EventRecorder(client, time));
        Writer.Written += Remember;
        ArgumentNullException.ThrowIfNull(usage);
        Checkpoints = usage.ReplaysHistory
            ? null
            : new UsageCheckpoints(client, time, _options.CheckpointInterval, AggregationOptions.ForHistoryPeriod(_options.HistoryDataPeriod), metrics);
        Loop = new AutoscalingLoop(usage, resizer, Writer, time, _options.HistoryDataPeriod, _options.DefaultInterval ?? _options.Tick,
            metrics, externalScaler, headroom is null ? null : target => headroom(target.Namespace, target.Name));
    }

    /// <summary>
    /// The autoscaler as the operator runs it: resizing through the allocation port, capped by its GPUs'
    /// headroom, reading usage from the source <paramref name="access"/> makes for the operator's nodes and agents.
    /// </summary>
    public static AutoscalingService ForAllocation(
        Informer<TensorFusionWorkload> workloads,
        KubeRestClient client,
        IAllocationPort allocation,
        AutoscalingAccess access,
        Func<IReadOnlyList<string>> nodes,
        Func<string, Uri?> agentAddress,
        TimeProvider time,
        AutoscalingOptions options,
        AutoscalingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(access);
        return new AutoscalingService(workloads, client, allocation, access.CreateUsageSource(nodes, agentAddress), time, options, metrics,
            access.CreateExternalScaler?.Invoke(client), allocation.HeadroomOf);
    }

    public AutoscalingLoop Loop { get; }

    public KubernetesWorkloadStatusWriter Writer { get; }

    /// <summary>Usage history saved on the workloads; null when the source replays history itself (Prometheus).</summary>
    public UsageCheckpoints? Checkpoints { get; }

    /// <summary>Passes that threw; each is retried on the next tick.</summary>
    public int FailedPasses { get; private set; }

    public string? LastPassError { get; private set; }

    /// <summary>Raised after every pass with the decisions it took (tests await this instead of sleeping).</summary>
    public event Action<IReadOnlyList<AutoscaleDecision>>? PassCompleted;

    /// <summary>The autoscaled workloads now in the cache, with what this process last wrote laid over their status.</summary>
    public IReadOnlyList<AutoscaleTarget> Targets()
    {
        var targets = new List<AutoscaleTarget>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in _workloads.List(AutoscaleTargetMapper.IsAutoscaled))
        {
            var target = AutoscaleTargetMapper.Map(workload, _options.ExternalScalerInitialDelay);
            seen.Add(target.Key);
            lock (_gate)
            {
                if (_uids.TryGetValue(target.Key, out var uid) && uid != target.Uid)
                {
                    Forget(target.Namespace, target.Name);
                }

                _uids[target.Key] = target.Uid;
                Checkpoints?.RestoreIfMissing(Loop.Book, workload);
                if (_written.TryGetValue(target.Key, out var written) && written.Uid == target.Uid)
                {
                    target = target with
                    {
                        Current = written.Recommendation,
                        // A rule removed from the spec while active keeps status's copy, so its window still reverts.
                        RecordedCronRule = written.CronRule is null
                            ? null
                            : target.CronRules.FirstOrDefault(rule => rule.Name == written.CronRule) ?? target.RecordedCronRule,
                    };
                }
            }

            targets.Add(target);
        }

        lock (_gate)
        {
            foreach (var gone in _uids.Keys.Where(key => !seen.Contains(key)).ToList())
            {
                var parts = gone.Split('/', 2);
                Forget(parts[0], parts[1]);
            }

            // History is kept for every workload in the cluster (one turning autoscaling on later starts with it), but
            // not for workloads that no longer exist.
            Loop.Book.Retain(key => _workloads.Get(key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]) is not null);
        }

        return targets;
    }

    /// <summary>One pass over the cache now.</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var targets = Targets();
        var decisions = await Loop.RunOnceAsync(targets, cancellationToken);
        if (Checkpoints is not null)
        {
            await Checkpoints.SaveIfDueAsync(Loop.Book, targets, cancellationToken);
        }

        PassCompleted?.Invoke(decisions);
        return decisions;
    }

    /// <summary>Runs a pass every <see cref="AutoscalingOptions.Tick"/> until cancelled (the operator runs it while leading).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Tick, _time);
        do
        {
            try
            {
                await RunOnceAsync(cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A pass that fails (a resizer or API error nobody classified) is retried on the next tick, not fatal.
                FailedPasses++;
                LastPassError = error.Message;
                LogPassFailed(_options.Logger, FailedPasses, _options.Tick, error);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Autoscaler pass failed ({Failed} so far); retried on the next tick in {Tick}")]
    private static partial void LogPassFailed(ILogger logger, int failed, TimeSpan tick, Exception exception);

    private void Remember(AutoscaleDecision decision)
    {
        var key = $"{decision.Namespace}/{decision.Name}";
        lock (_gate)
        {
            _written[key] = (_uids.GetValueOrDefault(key), decision.Recommendation, decision.ActiveCronRule);
        }
    }

    private void Forget(string workloadNamespace, string workload)
    {
        var key = $"{workloadNamespace}/{workload}";
        _uids.Remove(key);
        _written.Remove(key);
        Checkpoints?.Forget(key);
        Loop.Forget(workloadNamespace, workload);
    }
}
