using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new SampleMetricsServer(app);
        const string contentType = "text/plain; version=0.0.4; charset=utf-8";
        app.MapGet("/operator/metrics", () =>
            Results.Text(SampleMetrics.Operator(Interlocked.Increment(ref server._operatorScrapes)), contentType));
        app.MapGet("/agent/metrics", () =>
            Results.Text(SampleMetrics.Agent(Interlocked.Increment(ref server._agentScrapes), timeProvider.GetUtcNow()), contentType));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Authority = new Uri(address).Authority;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
