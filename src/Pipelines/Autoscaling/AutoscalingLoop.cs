using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// The autoscaling loop: read usage (the whole historyDataPeriod on the first read, then each increment; a failed read
/// is retried over the same window), feed the aggregates, run each workload's recommenders when its interval is due,
/// resize in place when autoSetResources is on, and write status. A resize that fails keeps the previous
/// recommendation in status (the workers still carry it) and says why in the ResourceUpdate condition.
/// </summary>
public sealed class AutoscalingLoop(
    IUsageSource source,
    IWorkloadResizer resizer,
    IWorkloadStatusWriter status,
    TimeProvider time,
    TimeSpan historyDataPeriod,
    TimeSpan defaultInterval,
    AutoscalingMetrics? metrics = null)
{
    public const string ResizeFailedReason = "ResizeFailed";
    private readonly Dictionary<string, DateTimeOffset> _lastEvaluated = new(StringComparer.Ordinal);
    private DateTimeOffset? _readUpTo;

    public WorkloadUsageBook Book { get; } = new();

    /// <summary>One pass; returns the decisions written (workloads whose interval is not yet due are skipped).</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> RunOnceAsync(IReadOnlyList<AutoscaleTarget> targets, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reading = await source.ReadAsync(_readUpTo ?? now - historyDataPeriod, now, cancellationToken);
        Book.Ingest(reading, now, AggregationOptions.ForHistoryPeriod(historyDataPeriod));
        if (!reading.SourceDown)
        {
            _readUpTo = now;
        }

        var decisions = new List<AutoscaleDecision>();
        foreach (var target in targets)
        {
            var interval = target.Options.Interval ?? defaultInterval;
            if (_lastEvaluated.TryGetValue(target.Key, out var last) && now - last < interval)
            {
                continue;
            }

            _lastEvaluated[target.Key] = now;
            var decision = Book.Evaluate(target, now);
            int? applied = null;
            if (decision.Apply)
            {
                var requests = decision.Recommendation.Requests;
                var limits = decision.Recommendation.Limits;
                var outcome = await resizer.ResizeWorkloadAsync(
                    target.Namespace, target.Name, ToGpu(requests), ToGpu(limits.IsZero ? requests : limits), cancellationToken);
                if (outcome.Succeeded)
                {
                    applied = outcome.ResizedWorkers;
                }
                else
                {
                    decision = decision with
                    {
                        Recommendation = target.Current ?? target.Spec,
                        Apply = false,
                        ConditionTrue = false,
                        ConditionReason = ResizeFailedReason,
                        ConditionMessage = $"in-place resize rolled back, workers keep their resources: {outcome.Error}",
                    };
                }
            }

            await status.WriteAsync(decision, applied, cancellationToken);
            metrics?.Record(decision);
            decisions.Add(decision);
        }

        return decisions;
    }

    /// <summary>Runs passes every <paramref name="tick"/> on the <see cref="TimeProvider"/> until cancelled.</summary>
    public async Task RunAsync(Func<IReadOnlyList<AutoscaleTarget>> targets, TimeSpan tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick, time);
        do
        {
            await RunOnceAsync(targets(), cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private static GpuResources ToGpu(ResourceAmount amount) => GpuResources.FromTflops(amount.Tflops, (long)Math.Round(amount.VramBytes));
}
