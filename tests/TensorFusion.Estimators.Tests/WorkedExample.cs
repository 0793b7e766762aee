using TensorFusion.Estimators.Aggregation;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Tests;

/// <summary>
/// The worked example of docs/autoscaling.md, built once so every test (and the docs) use the same numbers.
/// </summary>
/// <remarks>
/// Two hours of one-minute samples from 10:00 UTC (a whole hour, so it is the decay reference; half-life 1 h):
/// w-0 uses 4 TFLOPs for the first hour, 6 for 50 minutes, then 12 for the last 10 minutes; its VRAM is 3 GiB with a
/// 5 GiB spike at minute 100. w-1 joins at minute 60 with 3 TFLOPs and 3 GiB.
/// TFLOPs weights are 0.1 × 2^(minute/60): the first hour sums to S, the second to 2S, so the shares are
/// 3 TFLOPs 2S/5S = 0.4, 4 TFLOPs S/5S = 0.2 (cumulative 0.6), 6 TFLOPs 0.313 (0.913), 12 TFLOPs 0.087 (1.0).
/// VRAM peaks: w-0's window ends at 10:00 + 24 h (5 GiB, weight 2^24), w-1's at 11:00 + 24 h (3 GiB, weight 2^25), so
/// 3 GiB holds 2/3 of the weight.
/// </remarks>
public static class WorkedExample
{
    public const double GiB = 1024.0 * 1024 * 1024;

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The last sample's time, used as "now".</summary>
    public static readonly DateTimeOffset LastSample = Start.AddMinutes(119);

    /// <summary>spec.resources: requests 10 TFLOPs / 4 GiB, limits 20 TFLOPs / 8 GiB.</summary>
    public static readonly WorkloadResources Spec = new(new ResourceAmount(10, 4 * GiB), new ResourceAmount(20, 8 * GiB));

    public static IEnumerable<(DateTimeOffset Time, string Worker, double Tflops, double VramBytes)> Samples()
    {
        for (var minute = 0; minute < 120; minute++)
        {
            var time = Start.AddMinutes(minute);
            var tflops = minute < 60 ? 4 : minute < 110 ? 6 : 12;
            yield return (time, "w-0", tflops, (minute == 100 ? 5 : 3) * GiB);
            if (minute >= 60)
            {
                yield return (time, "w-1", 3, 3 * GiB);
            }
        }
    }

    public static WorkloadUsageAggregate Aggregate()
    {
        var aggregate = new WorkloadUsageAggregate(AggregationOptions.Default);
        foreach (var (time, worker, tflops, vram) in Samples())
        {
            aggregate.AddSample(worker, time, tflops, vram);
        }

        return aggregate;
    }
}
