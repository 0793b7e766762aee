using System.Globalization;

namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Worker usage from Prometheus over its HTTP API: one range query per figure (<c>/api/v1/query_range</c>) joined by
/// worker and time. The caller asks for historyDataPeriod once at start and then each interval's increment. Down,
/// slow (timeout) or malformed answers make a down reading; NaN points are unknown, not zero.
/// </summary>
public sealed class PrometheusUsageSource(HttpClient http, Uri baseAddress, TimeSpan step, TimeSpan timeout) : IUsageSource
{
    public bool ReplaysHistory => true;

    public async Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var tflops = await QueryAsync(WorkerUsageReader.TflopsMetric, windowStart, windowEnd, cancellationToken);
        if (tflops.Error is not null)
        {
            return UsageReading.Down(tflops.Error);
        }

        var vram = await QueryAsync(WorkerUsageReader.VramMetric, windowStart, windowEnd, cancellationToken);
        if (vram.Error is not null)
        {
            return UsageReading.Down(vram.Error);
        }

        var joined = new Dictionary<(string, string, string, DateTimeOffset), (double? Tflops, double? Vram)>();
        Join(tflops.Series, joined, isTflops: true);
        Join(vram.Series, joined, isTflops: false);
        return new UsageReading(
            [.. joined.OrderBy(pair => pair.Key.Item4).Select(pair =>
                new UsageSample(pair.Key.Item1, pair.Key.Item2, pair.Key.Item3, pair.Key.Item4, pair.Value.Tflops, pair.Value.Vram))],
            null);
    }

    private static void Join(
        IReadOnlyList<PrometheusSeries> series, Dictionary<(string, string, string, DateTimeOffset), (double? Tflops, double? Vram)> into, bool isTflops)
    {
        foreach (var item in series)
        {
            if (!item.Labels.TryGetValue("namespace", out var ns) || !item.Labels.TryGetValue("workload", out var workload)
                || !item.Labels.TryGetValue("worker", out var worker))
            {
                continue;
            }

            foreach (var (time, value) in item.Points)
            {
                var key = (ns, workload, worker, time);
                var current = into.GetValueOrDefault(key);
                var known = WorkerUsageReader.Known(value);
                into[key] = isTflops ? current with { Tflops = known } : current with { Vram = known };
            }
        }
    }

    private async Task<(IReadOnlyList<PrometheusSeries> Series, string? Error)> QueryAsync(
        string metric, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        // Worker series can come from several scrapes of one agent; max per worker keeps one value per step.
        var query = Uri.EscapeDataString($"max by (namespace, workload, worker) ({metric})");
        var path = $"api/v1/query_range?query={query}&start={PrometheusResponseReader.FormatTime(windowStart)}" +
                   $"&end={PrometheusResponseReader.FormatTime(windowEnd)}&step={step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}";
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, path), timeoutSource.Token);
            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token);
            if (!response.IsSuccessStatusCode && !body.TrimStart().StartsWith('{'))
            {
                return ([], $"prometheus at {baseAddress}: HTTP {(int)response.StatusCode}");
            }

            return PrometheusResponseReader.Read(body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ([], $"prometheus at {baseAddress}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException error)
        {
            return ([], $"prometheus at {baseAddress}: {error.Message}");
        }
    }
}
