using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// A loopback HTTP endpoint that serves <see cref="SampleMetrics"/> as /operator/metrics and /agent/metrics,
/// standing in for the real operator and agent while Prometheus scrapes it.
/// </summary>
internal sealed class SampleMetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _operatorScrapes;
    private long _agentScrapes;

    private SampleMetricsServer(WebApplication app) => _app = app;

    /// <summary>host:port the server listens on, e.g. 127.0.0.1:40123.</summary>
    public string Authority { get; private set; } = string.Empty;

    public static async Task<SampleMetricsServer> StartAsync(TimeProvider timeProvider)
    {
        var app = LoopbackWebApp.Create();
        var server = new SampleMetricsServer(app);
        const string contentType = "text/plain; version=0.0.4; charset=utf-8";
        app.MapGet("/operator/metrics", () =>
            Results.Text(SampleMetrics.Operator(Interlocked.Increment(ref server._operatorScrapes)), contentType));
        app.MapGet("/agent/metrics", () =>
            Results.Text(SampleMetrics.Agent(Interlocked.Increment(ref server._agentScrapes), timeProvider.GetUtcNow()), contentType));
        server.Authority = (await LoopbackWebApp.StartAsync(app)).Authority;
        return server;
    }

    public ValueTask DisposeAsync() => LoopbackWebApp.StopAsync(_app);
}
