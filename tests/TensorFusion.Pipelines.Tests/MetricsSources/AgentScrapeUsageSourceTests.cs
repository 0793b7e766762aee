using System.Net;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.MetricsSources;
using TensorFusion.Pipelines.Tests.Agents;

namespace TensorFusion.Pipelines.Tests.MetricsSources;

public sealed class AgentScrapeUsageSourceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private const string Scrape = """
        # TYPE tensorfusion_worker_tflops_used gauge
        tensorfusion_worker_tflops_used{node="n0",namespace="team",workload="llm",worker="llm-0"} 12.5
        tensorfusion_worker_vram_used_bytes{node="n0",namespace="team",workload="llm",worker="llm-0"} NaN
        """;

    private static HttpResponseMessage Text(HttpStatusCode code, string text) => new(code) { Content = new StringContent(text) };

    [Fact]
    public async Task ForNodes_ScrapesEachAgentsMetricsWithTheToken()
    {
        var handler = new StubHttpHandler(_ => Text(HttpStatusCode.OK, Scrape));
        var addresses = new Dictionary<string, Uri> { ["n0"] = new("http://10.0.0.1:8000/") };
        var source = AgentScrapeUsageSource.ForNodes(new HttpClient(handler), () => ["n0", "n-without-agent"],
            node => addresses.GetValueOrDefault(node), new FakeTimeProvider(Now), TimeSpan.FromSeconds(5), () => "agent-token");

        var reading = await source.ReadAsync(Now.AddMinutes(-1), Now, CancellationToken.None);

        var (request, _) = Assert.Single(handler.Requests);
        Assert.Equal("http://10.0.0.1:8000/metrics", request.RequestUri!.ToString());
        Assert.Equal("Bearer agent-token", request.Headers.Authorization!.ToString());
        var sample = Assert.Single(reading.Samples);
        // 12.5 TFLOPs known; the NaN VRAM figure is unknown (null), not zero.
        Assert.Equal(("llm-0", 12.5, (double?)null, Now), (sample.Worker, sample.Tflops!.Value, sample.VramBytes, sample.Time));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Read_OneAgentRefusesOneAnswersEmpty_NotDown()
    {
        var handler = new StubHttpHandler(request => request.RequestUri!.Host == "bad"
            ? Text(HttpStatusCode.Unauthorized, "no token")
            : Text(HttpStatusCode.OK, "# no workers on this node\n"));
        var source = new AgentScrapeUsageSource(new HttpClient(handler), () => [new(new Uri("http://bad/metrics")), new(new Uri("http://good/metrics"))],
            new FakeTimeProvider(Now), TimeSpan.FromSeconds(5));

        var reading = await source.ReadAsync(Now, Now, CancellationToken.None);

        // The good agent answered (with no workers): the source is up, its workers simply have no samples.
        Assert.False(reading.SourceDown);
        Assert.Empty(reading.Samples);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task Read_NoAgentAnswers_DownWithEachReason()
    {
        var handler = new StubHttpHandler(_ => Text(HttpStatusCode.Unauthorized, "no token"));
        var source = new AgentScrapeUsageSource(new HttpClient(handler), () => [new(new Uri("http://a/metrics"))], new FakeTimeProvider(Now), TimeSpan.FromSeconds(5));

        var reading = await source.ReadAsync(Now, Now, CancellationToken.None);

        Assert.True(reading.SourceDown);
        Assert.Contains("http://a/metrics: HTTP 401", reading.Error, StringComparison.Ordinal);
    }
}
