using System.Net.Http.Headers;

namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>
/// Worker usage scraped directly from the agents' <c>/metrics</c> (the embedded mode, no Prometheus), with the agents'
/// bearer token when they require one. Each read is the present moment; an agent that does not answer contributes
/// nothing (its workers stay unknown), and the reading is down only when no agent answered.
/// </summary>
public sealed class AgentScrapeUsageSource(
    HttpClient http, Func<IReadOnlyList<AgentMetricsTarget>> agentMetricsAddresses, TimeProvider time, TimeSpan timeout, Func<string?>? bearerToken = null)
    : IUsageSource
{
    /// <summary>
    /// A source over the nodes the allocation side knows, each scraped at its agent's base address + <c>metrics</c>
    /// (the same node → agent address map the plan pushes use), the node named as the TLS server name so the agent's
    /// certificate is checked as for a plan push (<see cref="Agents.AgentChannelTrust"/>); nodes without a known agent are skipped.
    /// </summary>
    public static AgentScrapeUsageSource ForNodes(
        HttpClient http, Func<IReadOnlyList<string>> nodes, Func<string, Uri?> agentAddress, TimeProvider time, TimeSpan timeout, Func<string?>? bearerToken = null) =>
        new(http, () => [.. nodes().Select(node => (Node: node, Address: agentAddress(node))).Where(target => target.Address is not null)
            .Select(target => new AgentMetricsTarget(new Uri(target.Address!, "metrics"), target.Node))], time, timeout, bearerToken);

    public async Task<UsageReading> ReadAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var addresses = agentMetricsAddresses();
        var samples = new List<UsageSample>();
        var errors = new List<string>();
        var token = bearerToken?.Invoke();
        var answered = 0;
        foreach (var (address, node) in addresses)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, address);
                if (node is not null && address.Scheme == Uri.UriSchemeHttps)
                {
                    Agents.AgentChannelTrust.TargetNode(request, node);
                }

                if (!string.IsNullOrEmpty(token))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await http.SendAsync(request, timeoutSource.Token);
                if (!response.IsSuccessStatusCode)
                {
                    errors.Add($"{address}: HTTP {(int)response.StatusCode}");
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync(timeoutSource.Token);
                answered++;
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

        return answered == 0 && errors.Count > 0
            ? UsageReading.Down(string.Join("; ", errors))
            : new UsageReading(samples, null);
    }
}
