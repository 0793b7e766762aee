using System.CommandLine;
using TensorFusion.Host.Cli;
using TensorFusion.Host.Operator;

namespace TensorFusion.IntegrationTests.Operator;

[Trait("Category", "Integration")]
public sealed class OperatorCommandTests
{
    [Fact]
    public async Task Operator_BadBindAddress_ExitCode2NamingTheFlag()
    {
        var (exitCode, output) = await InvokeAsync("operator", "--metrics-bind-address", "nonsense");

        Assert.Equal(2, exitCode);
        Assert.Contains("--metrics-bind-address \"nonsense\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_RenewDeadlineNotBelowLease_ExitCode2NamingTheFlags()
    {
        var (exitCode, output) = await InvokeAsync("operator", "--leader-elect", "--leader-elect-lease-duration", "5", "--leader-elect-renew-deadline", "10");

        Assert.Equal(2, exitCode);
        Assert.Contains("--leader-elect-lease-duration", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":8080", "0.0.0.0:8080")]
    [InlineData("127.0.0.1:9090", "127.0.0.1:9090")]
    [InlineData("localhost:1", "127.0.0.1:1")]
    public void TryParseBindAddress_DeployForms_Parsed(string text, string expected)
    {
        Assert.True(OperatorHostOptions.TryParseBindAddress(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Fact]
    public async Task RunAsync_AgainstEmbeddedServer_ServesHealthReadyAndMetrics()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"tf-operator-{Guid.NewGuid():N}.kubeconfig");
        cluster.Server.WriteKubeconfig(kubeconfig);
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var run = OperatorHost.RunAsync(new OperatorHostOptions { Kubeconfig = kubeconfig, MetricsBindAddress = $"127.0.0.1:{port}" }, TextWriter.Null, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var metrics = await RetryUntilAsync(() => http.GetStringAsync("metrics"), text => text.Contains("tensorfusion_workqueue_depth{queue=\"tensorfusionworkload\"} 0", StringComparison.Ordinal));
        var ready = await RetryUntilAsync(() => http.GetAsync("readyz"), response => response.IsSuccessStatusCode);
        var health = await http.GetAsync("healthz");
        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(OperatorCluster.Wait));
        Assert.True(health.IsSuccessStatusCode);
        Assert.True(ready.IsSuccessStatusCode);
        Assert.Contains("tensorfusion_informer_relists_total{kind=\"GPUPool\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_reconcile_total{controller=\"tensorfusionworkload\",result=\"error\"} 0", metrics, StringComparison.Ordinal);
        File.Delete(kubeconfig);
    }

    private static async Task<T> RetryUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> accept)
    {
        // The endpoint comes up asynchronously; retry connection refusals for a bounded time.
        var deadline = DateTime.UtcNow + OperatorCluster.Wait;
        while (true)
        {
            try
            {
                var value = await probe();
                if (accept(value) || DateTime.UtcNow > deadline)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await TensorFusionCli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
