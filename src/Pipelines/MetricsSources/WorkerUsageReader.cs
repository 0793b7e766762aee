namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Turns an agent scrape into usage samples: <c>tensorfusion_worker_tflops_used</c> and
/// <c>tensorfusion_worker_vram_used_bytes</c> (docs/metrics.md) joined by namespace/workload/worker. NaN, ±Inf, a
/// negative value or a missing series leave that figure unknown.
/// </summary>
public static class WorkerUsageReader
{
    public const string TflopsMetric = "tensorfusion_worker_tflops_used";
    public const string VramMetric = "tensorfusion_worker_vram_used_bytes";

    public static IReadOnlyList<UsageSample> FromScrape(IEnumerable<MetricSample> samples, DateTimeOffset time)
    {
        var byWorker = new Dictionary<(string, string, string), (double? Tflops, double? Vram)>();
        foreach (var sample in samples)
        {
            var isTflops = sample.Name == TflopsMetric;
            if (!isTflops && sample.Name != VramMetric)
            {
                continue;
            }

            if (!sample.Labels.TryGetValue("namespace", out var ns) || !sample.Labels.TryGetValue("workload", out var workload)
                || !sample.Labels.TryGetValue("worker", out var worker))
            {
                continue;
            }

            var key = (ns, workload, worker);
            var current = byWorker.GetValueOrDefault(key);
            var value = Known(sample.Value);
            byWorker[key] = isTflops ? current with { Tflops = value } : current with { Vram = value };
        }

        return [.. byWorker.Select(pair => new UsageSample(pair.Key.Item1, pair.Key.Item2, pair.Key.Item3, time, pair.Value.Tflops, pair.Value.Vram))];
    }

    /// <summary>A usable figure, or null for NaN, infinities and negatives.</summary>
    public static double? Known(double value) => double.IsFinite(value) && value >= 0 ? value : null;
}
