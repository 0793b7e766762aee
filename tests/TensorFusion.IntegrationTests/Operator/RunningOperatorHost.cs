using System.Net;
using System.Net.Http.Headers;
using TensorFusion.Host.Operator;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>OperatorHost.RunAsync on a free loopback port, awaited until it says it is serving; stopped on dispose.</summary>
internal sealed class RunningOperatorHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly string _kubeconfig;
    private Task<int> _run = Task.FromResult(0);

    private RunningOperatorHost(int port, string kubeconfig)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        _kubeconfig = kubeconfig;
    }

    public static async Task<RunningOperatorHost> StartAsync(OperatorCluster cluster, bool metricsAuth)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"tf-operator-{Guid.NewGuid():N}.kubeconfig");
        cluster.Server.WriteKubeconfig(kubeconfig);
        var port = FreePort();
        var host = new RunningOperatorHost(port, kubeconfig);
        var output = new SignalingWriter("serving /healthz");
        host._run = OperatorHost.RunAsync(new OperatorHostOptions { Kubeconfig = kubeconfig, MetricsBindAddress = $"127.0.0.1:{port}", MetricsAuth = metricsAuth, AgentTrustNamespace = "default" },
            output, host._stop.Token);
        await Task.WhenAny(output.Seen, host._run).WaitAsync(OperatorCluster.Wait);
        Assert.True(output.Seen.IsCompleted, $"the operator stopped before serving its endpoints: {output}");
        return host;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Assert.Equal(0, await _run.WaitAsync(OperatorCluster.Wait));
        _http.Dispose();
        _stop.Dispose();
        File.Delete(_kubeconfig);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
