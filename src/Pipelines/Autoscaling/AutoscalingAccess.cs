using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// How the operator's autoscaler reads usage and reaches external scalers. The host builds the HTTP client; the operator
/// supplies the nodes and the node → agent address map the plan pushes use, so a direct agent scrape finds the same agents.
/// </summary>
/// <param name="CreateUsageSource">Given the nodes and their agents' base addresses, the usage source.</param>
/// <param name="CreateExternalScaler">Given the operator's API client (for the Secret), the external scaler client.</param>
public sealed record AutoscalingAccess(
    Func<Func<IReadOnlyList<string>>, Func<string, Uri?>, IUsageSource> CreateUsageSource,
    Func<KubeRestClient, IExternalScaler>? CreateExternalScaler = null)
{
    /// <summary>
    /// Prometheus when <paramref name="prometheus"/> is set (<c>--prometheus-url</c>); otherwise every agent's
    /// <c>/metrics</c> scraped directly with the agents' bearer token (local mode) through <paramref name="agentHttp"/>
    /// (the agents' TLS trust, <see cref="Agents.AgentChannelTrust"/>; <paramref name="http"/> when null). External scalers over HTTP.
    /// </summary>
    public static AutoscalingAccess OverHttp(HttpClient http, Uri? prometheus, Func<string?> agentToken, TimeProvider time, AutoscalingOptions options, HttpClient? agentHttp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AutoscalingAccess(
            (nodes, addresses) => prometheus is null
                ? AgentScrapeUsageSource.ForNodes(agentHttp ?? http, nodes, addresses, time, options.ScrapeTimeout, agentToken)
                : new PrometheusUsageSource(http, prometheus, options.PrometheusStep, options.PrometheusTimeout),
            kube => new HttpExternalScaler(http, kube, options.ExternalScalerTimeout));
    }
}
