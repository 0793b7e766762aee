namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>Port: reads worker usage in a time range. Never throws for network errors; a down source says so in the reading.</summary>
public interface IUsageSource
{
    Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);
}
