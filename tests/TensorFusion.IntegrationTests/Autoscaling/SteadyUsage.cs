using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>A simulated load: every listed worker of default/llm uses the same TFLOPs and VRAM, one sample a minute.</summary>
internal sealed class SteadyUsage(double tflops, double vramBytes, params string[] workers) : IUsageSource
{
    public Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var samples = new List<UsageSample>();
        for (var t = windowStart; t <= windowEnd; t = t.AddMinutes(1))
        {
            samples.AddRange(workers.Select(worker => new UsageSample(AutoscalingCluster.Ns, "llm", worker, t, tflops, vramBytes)));
        }

        return Task.FromResult(new UsageReading(samples, null));
    }
}
