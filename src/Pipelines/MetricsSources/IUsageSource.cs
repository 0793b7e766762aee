namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>Port: reads worker usage in a time range. Never throws for network errors; a down source says so in the reading.</summary>
public interface IUsageSource
{
    /// <summary>
    /// True when a read of a past window returns that window's samples (Prometheus); false when only "now" can be read
    /// (an agent scrape), so history after a restart must come from checkpoints.
    /// </summary>
    bool ReplaysHistory => false;

    Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);
}
