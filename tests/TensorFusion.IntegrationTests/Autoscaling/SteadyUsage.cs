using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>A simulated load: every worker of default/llm uses the same TFLOPs and VRAM, one sample a minute of the window.</summary>
internal sealed class SteadyUsage(double tflops, double vramBytes, Func<IReadOnlyList<string>> workers) : IUsageSource
{
    public SteadyUsage(double tflops, double vramBytes, params string[] workers)
        : this(tflops, vramBytes, () => workers)
    {
    }

    /// <summary>Every read returns its whole window, as Prometheus does.</summary>
    public bool ReplaysHistory => true;

    public Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var samples = new List<UsageSample>();
        var names = workers();
        for (var t = windowStart; t <= windowEnd; t = t.AddMinutes(1))
        {
            samples.AddRange(names.Select(worker => new UsageSample(AutoscalingCluster.Ns, "llm", worker, t, tflops, vramBytes)));
        }

        return Task.FromResult(new UsageReading(samples, null));
    }
}
