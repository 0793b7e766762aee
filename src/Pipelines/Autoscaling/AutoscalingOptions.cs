using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>How the operator's autoscaler runs (upstream: a global 30 s autoScalingInterval, 2 h history, 10 s scaler timeout).</summary>
public sealed record AutoscalingOptions
{
    /// <summary>How often the loop reads usage and looks for workloads whose interval is due (--autoscaling-interval).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where failed passes are logged (they are retried on the next tick).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>A workload's evaluation interval when autoSetResources.interval is unset; null means <see cref="Tick"/>.</summary>
    public TimeSpan? DefaultInterval { get; init; }

    /// <summary>History read from the metrics source on the first pass (the default historyDataPeriod).</summary>
    public TimeSpan HistoryDataPeriod { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Resolution of Prometheus range queries (upstream buckets history into one-minute windows).</summary>
    public TimeSpan PrometheusStep { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Time limit for one Prometheus query (upstream: 60 s for history, 15 s for realtime reads).</summary>
    public TimeSpan PrometheusTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit for one agent scrape (local mode).</summary>
    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time limit for one external scaler call (upstream: 10 s).</summary>
    public TimeSpan ExternalScalerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The external scaler's initial delay when its initialDelayPeriod is unset (upstream: 30 m).</summary>
    public TimeSpan ExternalScalerInitialDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often changed usage histograms are saved on their workloads (annotation <c>tensor-fusion.ai/usage-checkpoint</c>)
    /// when the source cannot replay history. A crash loses at most this much history.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Null when valid; otherwise a message naming the flag to fix.</summary>
    public string? Validate()
    {
        if (Tick <= TimeSpan.Zero)
        {
            return "--autoscaling-interval must be positive";
        }

        if (DefaultInterval is { } interval && interval <= TimeSpan.Zero)
        {
            return "the default autoscaling interval must be positive";
        }

        if (HistoryDataPeriod <= TimeSpan.Zero || HistoryDataPeriod > TimeSpan.FromDays(30))
        {
            return "the autoscaling history period must be between 0 and 30 days";
        }

        if (CheckpointInterval <= TimeSpan.Zero)
        {
            return "--autoscaling-checkpoint-interval must be positive";
        }

        if (PrometheusStep <= TimeSpan.Zero || PrometheusTimeout <= TimeSpan.Zero || ScrapeTimeout <= TimeSpan.Zero)
        {
            return "the Prometheus step and the query and scrape timeouts must be positive";
        }

        return ExternalScalerTimeout <= TimeSpan.Zero ? "the external scaler timeout must be positive" : null;
    }
}
