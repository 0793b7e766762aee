namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Worker usage scraped directly from the agents' <c>/metrics</c> (the embedded mode, no Prometheus). Each read is the
/// present moment; an agent that does not answer contributes nothing (its workers stay unknown), and the reading is
/// down only when no agent answered.
/// </summary>
public sealed class AgentScrapeUsageSource(HttpClient http, Func<IReadOnlyList<Uri>> agentMetricsAddresses, TimeProvider time, TimeSpan timeout)
    : IUsageSource
{
    public async Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var addresses = agentMetricsAddresses();
        var samples = new List<UsageSample>();
        var errors = new List<string>();
        foreach (var address in addresses)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                var text = await http.GetStringAsync(address, timeoutSource.Token);
                var parseErrors = new List<string>();
                samples.AddRange(WorkerUsageReader.FromScrape(PrometheusTextParser.Parse(text, parseErrors), time.GetUtcNow()));
                errors.AddRange(parseErrors.Select(error => $"{address}: {error}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{address}: no answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException error)
            {
                errors.Add($"{address}: {error.Message}");
            }
        }

        return addresses.Count > 0 && samples.Count == 0 && errors.Count > 0
            ? UsageReading.Down(string.Join("; ", errors))
            : new UsageReading(samples, null);
    }
}
