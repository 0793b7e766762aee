using System.CommandLine;
using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Host.Admission;
using TensorFusion.Host.Cli;
using TensorFusion.Host.Operator;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Kube;

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
    public async Task Operator_BadWebhookBindAddress_ExitCode2NamingTheFlag()
    {
        var (exitCode, output) = await InvokeAsync("operator", "--webhook-bind-address", "nonsense");

        Assert.Equal(2, exitCode);
        Assert.Contains("--webhook-bind-address \"nonsense\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceDnsNames_WebhookService_EveryNameTheApiServerMayDial()
    {
        var names = OperatorHostOptions.ServiceDnsNames("tensorfusion-operator-webhook", "tensor-fusion-system");

        Assert.Equal(
            ["tensorfusion-operator-webhook", "tensorfusion-operator-webhook.tensor-fusion-system", "tensorfusion-operator-webhook.tensor-fusion-system.svc",
             "tensorfusion-operator-webhook.tensor-fusion-system.svc.cluster.local"],
            names);
    }

    [Fact]
    public async Task RunAsync_WithWebhook_PublishesItsCaAndAdmitsAnnotatedPods()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var pool = OperatorCluster.PoolObject("shared");
        pool["metadata"]!["annotations"] = new JsonObject { [Annotations.IsDefaultPool] = "true" };
        await cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), pool, CancellationToken.None);
        var webhookPort = FreePort();
        // As deploy/base ships it (no caBundle), pointed at the loopback URL as local mode does.
        await cluster.Direct.CreateAsync<JsonNode>("apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
            PodWebhookConfiguration.Build(new Uri($"https://127.0.0.1:{webhookPort}{PodWebhookServer.MutatePath}"), "tensor-fusion-system"), CancellationToken.None);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"tf-operator-{Guid.NewGuid():N}.kubeconfig");
        cluster.Server.WriteKubeconfig(kubeconfig);
        using var stop = new CancellationTokenSource();
        var run = OperatorHost.RunAsync(new OperatorHostOptions
        {
            Kubeconfig = kubeconfig,
            MetricsBindAddress = $"127.0.0.1:{FreePort()}",
            WebhookBindAddress = $"127.0.0.1:{webhookPort}",
            WebhookCertificateNames = ["127.0.0.1"],
            // The operator's namespace holds its agent CA; this server has no tensor-fusion-system.
            AgentTrustNamespace = "default",
        }, TextWriter.Null, stop.Token);

        await WaitForCaBundleAsync(cluster);
        var pod = await cluster.Direct.CreateAsync<JsonNode>("api/v1/namespaces/default/pods", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "annotated",
                ["labels"] = new JsonObject { [Labels.Enabled] = "true" },
                ["annotations"] = new JsonObject { [Annotations.TflopsRequest] = "10" },
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "python:3.12-slim" }) },
        }, CancellationToken.None);
        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(OperatorCluster.Wait));
        Assert.Equal(PodMutation.SchedulerName, pod["spec"]!["schedulerName"]!.GetValue<string>());
        File.Delete(kubeconfig);
    }

    /// <summary>Waits on the API server's own event feed until the operator has written its CA into the configuration.</summary>
    private static async Task WaitForCaBundleAsync(OperatorCluster cluster)
    {
        const string storageId = "mutatingwebhookconfigurations.admissionregistration.k8s.io";
        static bool HasBundle(JsonObject configuration) => configuration["webhooks"]?[0]?["clientConfig"]?["caBundle"] is not null;
        var (subscription, _) = cluster.Server.Store.Subscribe(storageId, null, initialState: true);
        using (subscription)
        {
            using var deadline = new CancellationTokenSource(OperatorCluster.Wait);
            await foreach (var change in subscription.Events.ReadAllAsync(deadline.Token))
            {
                if (change.Current is { } current && HasBundle(current.Value))
                {
                    return;
                }
            }
        }
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
        var run = OperatorHost.RunAsync(
            new OperatorHostOptions { Kubeconfig = kubeconfig, MetricsBindAddress = $"127.0.0.1:{port}", AgentTrustNamespace = "default" }, TextWriter.Null, stop.Token);
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
