using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Workload;

namespace TensorFusion.Pipelines.Autoscaling.WhatIf;

/// <summary>
/// The offline what-if: feeds recorded samples into a fresh aggregate and runs one full recommendation pass, exactly as
/// the operator would at <c>now</c>, except that there is no cluster to ask for GPU headroom (no scale-up cap).
/// </summary>
public static class WhatIfRecommender
{
    /// <param name="workload">The workload as the operator's autoscaler maps it (<see cref="AutoscaleTargetMapper"/>).</param>
    /// <param name="creationTime">metadata.creationTimestamp when the manifest has one (files usually do not).</param>
    /// <param name="samples">Usage rows in any order; rows after <paramref name="now"/> are left out.</param>
    /// <param name="now">Evaluation time; defaults to the last sample's time.</param>
    /// <param name="fallbackNow">Used when there is neither <paramref name="now"/> nor a sample nor a creation time.</param>
    public static WhatIfOutcome Run(AutoscaleTarget workload, DateTimeOffset? creationTime, IReadOnlyList<UsageCsvRow> samples, DateTimeOffset? now, DateTimeOffset fallbackNow)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(samples);
        var ordered = samples.OrderBy(sample => sample.Time).ToList();
        var evaluatedAt = now ?? (ordered.Count > 0 ? ordered[^1].Time : creationTime ?? fallbackNow);
        var createdAt = creationTime ?? (ordered.Count > 0 ? ordered[0].Time : evaluatedAt);

        var aggregate = new WorkloadUsageAggregate(AggregationOptions.ForHistoryPeriod(workload.Options.HistoryDataPeriod));
        var used = 0;
        foreach (var sample in ordered)
        {
            if (sample.Time > evaluatedAt)
            {
                break;
            }

            aggregate.AddSample(sample.Worker, sample.Time, sample.Tflops, sample.VramBytes);
            used++;
        }

        var recommendation = WorkloadRecommender.Recommend(new WorkloadRecommendationInput(
            aggregate,
            workload.Spec,
            workload.Current,
            workload.Qos,
            workload.Options,
            workload.CronRules,
            workload.RecordedCronRule,
            createdAt,
            evaluatedAt,
            ConfigurationErrors: workload.ConfigurationErrors ?? []));
        return new WhatIfOutcome(recommendation, evaluatedAt, createdAt, used, samples.Count - used, aggregate.WorkerCount);
    }
}
