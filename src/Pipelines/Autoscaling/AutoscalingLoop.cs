using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.External;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.MetricsSources;

using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// The autoscaling loop: read usage (the whole historyDataPeriod on the first read, then each increment; a failed read
/// is retried over the same window), feed the aggregates, ask external scalers, run each workload's recommenders when
/// its interval is due, resize in place when autoSetResources is on, and write status. A resize that fails keeps the
/// previous recommendation in status (the workers still carry it) and says why in the ResourceUpdate condition; an
/// external scaler that fails stops that workload's round (as upstream: any recommender error aborts it). With
/// <paramref name="headroom"/>, requests of workloads resized in place are capped by what their GPUs can still give.
/// </summary>
public sealed class AutoscalingLoop(
    IUsageSource source,
    IAllocationPort resizer,
    IWorkloadStatusWriter status,
    TimeProvider time,
    TimeSpan historyDataPeriod,
    TimeSpan defaultInterval,
    AutoscalingMetrics? metrics = null,
    IExternalScaler? externalScaler = null,
    Func<AutoscaleTarget, IReadOnlyList<GpuHeadroom>?>? headroom = null)
{
    public const string ResizeFailedReason = "ResizeFailed";
    public const string ExternalScalerFailedReason = "ExternalScalerFailed";
    private readonly Dictionary<string, DateTimeOffset> _lastEvaluated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset At, ExternalScalerAnswer Answer)> _externalAnswers = new(StringComparer.Ordinal);
    private DateTimeOffset? _readUpTo;

    public WorkloadUsageBook Book { get; } = new();

    /// <summary>Status writes that failed (API server down, conflicts beyond the retries); the next interval writes again.</summary>
    public int FailedStatusWrites { get; private set; }

    /// <summary>The last status write failure, for logs and tests.</summary>
    public string? LastStatusWriteError { get; private set; }

    /// <summary>One pass; returns the decisions written (workloads whose interval is not yet due are skipped).</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> RunOnceAsync(IReadOnlyList<AutoscaleTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
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
            var decision = await DecideAsync(target, now, cancellationToken);
            int? applied = null;
            if (decision.Apply)
            {
                (decision, applied) = await ResizeAsync(target, decision, cancellationToken);
            }

            // Gauges first: whoever sees the status written can rely on the gauges saying the same.
            metrics?.Record(decision);
            try
            {
                await status.WriteAsync(decision, applied, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Never let one workload's write stop the loop; the next interval writes again.
                FailedStatusWrites++;
                LastStatusWriteError = $"{target.Key}: {error.Message}";
            }

            decisions.Add(decision);
        }

        return decisions;
    }

    /// <summary>Forgets a workload (deleted or recreated): its history, its interval and its gauges.</summary>
    public void Forget(string workloadNamespace, string workload)
    {
        var key = $"{workloadNamespace}/{workload}";
        _lastEvaluated.Remove(key);
        _externalAnswers.Remove(key);
        Book.Forget(key);
        metrics?.Forget(workloadNamespace, workload);
    }

    /// <summary>Runs passes every <paramref name="tick"/> on the <see cref="TimeProvider"/> until cancelled.</summary>
    public async Task RunAsync(Func<IReadOnlyList<AutoscaleTarget>> targets, TimeSpan tick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var timer = new PeriodicTimer(tick, time);
        do
        {
            await RunOnceAsync(targets(), cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task<AutoscaleDecision> DecideAsync(AutoscaleTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        RecommendationResult? external = null;
        if (target.External is { } scaler && externalScaler is not null && Book.SourceError is null && (target.ConfigurationErrors?.Count ?? 0) == 0)
        {
            var current = target.Current ?? target.Spec;
            if (ExternalRecommender.IsPastInitialDelay(target.CreationTime, scaler.InitialDelay, now))
            {
                var answer = await AskAsync(externalScaler, scaler, target, current, now, cancellationToken);
                if (answer.Error is { } error)
                {
                    return new AutoscaleDecision(target.Namespace, target.Name, current, target.RecordedCronRule?.Name, Apply: false,
                        ConditionTrue: false, ExternalScalerFailedReason, $"{error}; keeping the current resources", default);
                }

                external = ExternalRecommender.Interpret(answer.Response, target.CreationTime, scaler.InitialDelay, now);
            }
            else
            {
                external = ExternalRecommender.Interpret(null, target.CreationTime, scaler.InitialDelay, now);
            }
        }

        return Book.Evaluate(target, now, external, target.AutoSetResources ? headroom?.Invoke(target) : null);
    }

    /// <summary>Asks the scaler, or reuses its last good answer while its own interval has not passed.</summary>
    private async Task<ExternalScalerAnswer> AskAsync(
        IExternalScaler client, ExternalScalerTarget scaler, AutoscaleTarget target, WorkloadResources current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (scaler.Interval is { } interval && _externalAnswers.TryGetValue(target.Key, out var last) && now - last.At < interval)
        {
            return last.Answer;
        }

        var answer = await client.AskAsync(target, current, cancellationToken);
        if (answer.Error is null)
        {
            _externalAnswers[target.Key] = (now, answer);
        }

        return answer;
    }

    private async Task<(AutoscaleDecision Decision, int? Applied)> ResizeAsync(AutoscaleTarget target, AutoscaleDecision decision, CancellationToken cancellationToken)
    {
        var current = target.Current ?? target.Spec;
        var resources = Restrict(decision.Recommendation, current, target.InPlaceResources);
        decision = decision with { Recommendation = resources };
        if (resources == current)
        {
            return (decision with { Apply = false }, null);
        }

        // A limit is never below its request (a spec without limits has zero ones).
        var limits = new ResourceAmount(
            Math.Max(resources.Limits.Tflops, resources.Requests.Tflops), Math.Max(resources.Limits.VramBytes, resources.Requests.VramBytes));
        var outcome = await resizer.ResizeWorkloadAsync(
            target.Namespace, target.Name, ResourceConversions.ToGpu(resources.Requests), ResourceConversions.ToGpu(limits), cancellationToken);
        if (outcome.Succeeded)
        {
            return (decision, outcome.ResizedWorkers);
        }

        return (decision with
        {
            Recommendation = current,
            Apply = false,
            ConditionTrue = false,
            ConditionReason = ResizeFailedReason,
            ConditionMessage = $"in-place resize rolled back, workers keep their resources: {outcome.Error}",
        }, null);
    }

    /// <summary>targetResource compute or vram: only that resource moves; the other keeps its current value.</summary>
    private static WorkloadResources Restrict(WorkloadResources recommended, WorkloadResources current, TargetResource target) => target switch
    {
        TargetResource.Compute => new(recommended.Requests with { VramBytes = current.Requests.VramBytes }, recommended.Limits with { VramBytes = current.Limits.VramBytes }),
        TargetResource.Vram => new(recommended.Requests with { Tflops = current.Requests.Tflops }, recommended.Limits with { Tflops = current.Limits.Tflops }),
        _ => recommended,
    };
}
