using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;
using TensorFusion.Agent.Auth;
using TensorFusion.Host.Admission;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Host.Operator;

/// <summary>
/// Composes the operator process: API client from kubeconfig or in-cluster config, the embeddable
/// <see cref="TensorFusionOperator"/>, and a small Kestrel endpoint with /healthz, /readyz and /metrics.
/// </summary>
public static class OperatorHost
{
    /// <returns>0 on a clean stop, 1 when leadership was lost, caches never synced, the allocation pipeline faulted or anything else failed.</returns>
    public static async Task<int> RunAsync(OperatorHostOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var config = options.Kubeconfig is null && KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, options.Context);
        using var kubernetes = new Kubernetes(config);
        var client = KubeRestClient.FromKubernetes(kubernetes);
        var registry = Metrics.NewCustomRegistry();
        var operatorOptions = options.Operator with { Logger = new TextWriterLogger(output, TimeProvider.System, LogLevel.Information) };
        // The agent channel's trust (docs/agent-protocol.md): this operator's CA signs the agents' serving certificates,
        // and plans go only to an agent whose certificate from that CA names the node.
        await using var agentTrust = await AgentTrustHost.StartAsync(client, options, operatorOptions.Logger, registry, output, cancellationToken);
        if (agentTrust is null)
        {
            return 1;
        }

        using var agentHttp = new HttpClient(agentTrust.Channel.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using var serviceHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var token = options.AgentTokenFile is null ? null : new BearerTokenFile(options.AgentTokenFile, TimeProvider.System);
        var agents = AgentAccess.OverTls(agentHttp, agentTrust.Channel, () => token?.Current(), options.Operator.AgentTimeout);
        var prometheus = options.PrometheusUrl is null ? null : new Uri(options.PrometheusUrl.EndsWith('/') ? options.PrometheusUrl : options.PrometheusUrl + "/");
        var autoscaling = AutoscalingAccess.OverHttp(serviceHttp, prometheus, () => token?.Current(), TimeProvider.System, options.Operator.Autoscaling, agentHttp);
        var tensorFusion = new TensorFusionOperator(client, operatorOptions, TimeProvider.System, registry, agents: agents, autoscaling: autoscaling);
        if (!OperatorHostOptions.TryParseBindAddress(options.MetricsBindAddress, out var endpoint))
        {
            throw new ArgumentException($"--metrics-bind-address \"{options.MetricsBindAddress}\" is not host:port or :port", nameof(options));
        }

        using var authorizer = DelegatedAuthorizer.Over(kubernetes, TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => tensorFusion.IsReady ? Results.Text("ok") : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/api/connection", async (HttpContext context, string? name, string? @namespace) =>
        {
            // The answer names a worker's address: only a caller that may read the connection itself may have it.
            if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(@namespace)
                && !await authorizer.RequireAsync(context, ConnectionLookup.AccessFor(@namespace, name)))
            {
                return Results.Empty;
            }

            var (status, body) = ConnectionLookup.Answer((ns, n) => tensorFusion.Caches.Connections?.Get(ns, n), name, @namespace);
            return Results.Json(body, statusCode: status);
        });
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            if (options.MetricsAuth && !await authorizer.RequireAsync(context, AccessRequest.ForPath("/metrics")))
            {
                return;
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        await output.WriteLineAsync($"tensorfusion operator: serving /healthz, /readyz, /metrics on {options.MetricsBindAddress} (/metrics {(options.MetricsAuth ? "needs a token allowed to get /metrics" : "open")}, /api/connection needs a token allowed to get the connection); leader election {(options.Operator.LeaderElection ? "on" : "off")}");
        OperatorWebhook? webhook = null;
        try
        {
            if (options.Webhook() is { } webhookSettings)
            {
                webhook = await OperatorWebhook.StartAsync(webhookSettings, client, operatorOptions.Logger, TimeProvider.System, cancellationToken);
                await output.WriteLineAsync($"tensorfusion operator: pod admission webhook on {webhook.BaseUri} (caBundle kept in MutatingWebhookConfiguration {webhookSettings.ConfigurationName})");
            }

            await tensorFusion.RunAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is LeadershipLostException or TimeoutException or AllocationFaultedException)
        {
            await output.WriteLineAsync($"tensorfusion operator: {e.Message}");
            return 1;
        }
#pragma warning disable CA1031 // Any other fault stops the process loudly: exit code 1 and the whole exception, never a clean exit.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            await output.WriteLineAsync($"tensorfusion operator: stopped by an unexpected fault: {e}");
            return 1;
        }
        finally
        {
            if (webhook is not null)
            {
                await webhook.DisposeAsync();
            }

            await app.StopAsync(CancellationToken.None);
        }
    }
}
