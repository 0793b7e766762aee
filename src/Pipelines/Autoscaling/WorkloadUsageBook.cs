using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Merging;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Estimators.Workload;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Per-workload usage aggregates fed from a metrics source, and the recommendation pass over them. Unknown figures
/// (null) are skipped, never counted as zero. While the source is down the book keeps each workload's last
/// recommendation and says so in the condition, instead of recommending from a gap.
/// </summary>
public sealed class WorkloadUsageBook
{
    public const string MetricsUnavailableReason = "MetricsUnavailable";
    public const string InvalidConfigurationReason = "InvalidConfiguration";
    private readonly Dictionary<string, WorkloadUsageAggregate> _aggregates = new(StringComparer.Ordinal);

    /// <summary>The source's error since its last good read; null while it answers.</summary>
    public string? SourceError { get; private set; }

    public DateTimeOffset? SourceDownSince { get; private set; }

    public int SamplesIngested { get; private set; }

    public void Ingest(UsageReading reading, DateTimeOffset now, AggregationOptions options)
    {
        if (reading.SourceDown)
        {
            SourceDownSince ??= now;
            SourceError = reading.Error;
            return;
        }

        SourceError = null;
        SourceDownSince = null;
        foreach (var sample in reading.Samples)
        {
            if (!_aggregates.TryGetValue(sample.WorkloadKey, out var aggregate))
            {
                _aggregates[sample.WorkloadKey] = aggregate = new WorkloadUsageAggregate(options, sample.Time);
            }

            var slot = aggregate.WorkerSlot(sample.Worker);
            if (sample.Tflops is { } tflops && aggregate.AddTflopsSample(slot, sample.Time, tflops))
            {
                SamplesIngested++;
            }

            if (sample.VramBytes is { } vram && aggregate.AddVramSample(slot, sample.Time, vram))
            {
                SamplesIngested++;
            }
        }
    }

    public WorkloadUsageAggregate? AggregateOf(string workloadKey) => _aggregates.GetValueOrDefault(workloadKey);

    /// <summary>Drops the history of every workload <paramref name="keep"/> refuses (given "namespace/name").</summary>
    public void Retain(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var key in _aggregates.Keys.Where(key => !keep(key)).ToList())
        {
            _aggregates.Remove(key);
        }
    }

    /// <summary>Adopts <paramref name="aggregate"/> as the workload's history unless it already has one; false if it had.</summary>
    public bool TryRestore(string workloadKey, WorkloadUsageAggregate aggregate) => _aggregates.TryAdd(workloadKey, aggregate);

    /// <summary>Drops a workload's history (deleted, or recreated under the same name with a new uid).</summary>
    public void Forget(string workloadKey) => _aggregates.Remove(workloadKey);

    /// <summary>
    /// One recommendation pass for <paramref name="target"/>. The condition is True when the pass ran (its reason says
    /// what it concluded) and False when it could not: metrics unavailable or invalid configuration.
    /// </summary>
    public AutoscaleDecision Evaluate(
        AutoscaleTarget target, DateTimeOffset now, RecommendationResult? external = null, IReadOnlyList<GpuHeadroom>? headroom = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var current = target.Current ?? target.Spec;
        if (SourceError is { } error)
        {
            return new AutoscaleDecision(target.Namespace, target.Name, current, target.RecordedCronRule?.Name, Apply: false,
                ConditionTrue: false, MetricsUnavailableReason,
                $"metrics source down since {SourceDownSince:O}: {error}; keeping the last recommendation", default);
        }

        var aggregate = _aggregates.GetValueOrDefault(target.Key) ?? new WorkloadUsageAggregate(
            AggregationOptions.ForHistoryPeriod(target.Options.HistoryDataPeriod), now);
        var result = WorkloadRecommender.Recommend(new WorkloadRecommendationInput(
            aggregate, target.Spec, target.Current, target.Qos, target.Options, target.CronRules, target.RecordedCronRule,
            target.CreationTime, now, external, headroom, target.ConfigurationErrors));
        if (result.Errors.Count > 0)
        {
            return new AutoscaleDecision(target.Namespace, target.Name, current, target.RecordedCronRule?.Name, Apply: false,
                ConditionTrue: false, InvalidConfigurationReason, result.Message, result.Estimates);
        }

        var resources = ResourceConversions.Rounded(result.Resources);
        return new AutoscaleDecision(target.Namespace, target.Name, resources, result.ActiveCronRule,
            result.ShouldApply && target.AutoSetResources && resources != current, ConditionTrue: true, result.Reason.ToString(), result.Message, result.Estimates);
    }
}
