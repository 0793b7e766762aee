using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// Usage as an agent scrape gives it: whatever the window, one sample per worker at its end (no history), until
/// <see cref="Silent"/> is set (a restarted operator whose agents have not reported yet).
/// </summary>
internal sealed class ScrapedUsage(double tflops, double vramBytes, params string[] workers) : IUsageSource
{
    public bool Silent { get; set; }

    public Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
        Task.FromResult(new UsageReading(
            Silent ? [] : [.. workers.Select(worker => new UsageSample(AutoscalingCluster.Ns, "llm", worker, windowEnd, tflops, vramBytes))],
            null));
}
