using System.Globalization;
using System.Net;
using TensorFusion.Host.Admission;
using TensorFusion.Pipelines.Admission;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Host.Operator;

/// <summary>What `tensorfusion operator` was asked to do, before it connects anywhere.</summary>
public sealed record OperatorHostOptions
{
    /// <summary>Kubeconfig path; null means in-cluster when running in a pod, else the default kubeconfig.</summary>
    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    /// <summary>Where /healthz, /readyz and /metrics listen: <c>host:port</c> or <c>:port</c> (all interfaces).</summary>
    public string MetricsBindAddress { get; init; } = "127.0.0.1:8080";

    public OperatorOptions Operator { get; init; } = new();

    /// <summary>
    /// --metrics-auth: /metrics needs a bearer token whose user may "get" the non-resource URL /metrics (TokenReview +
    /// SubjectAccessReview, as kube-rbac-proxy does). Off for local development, on in deploy/overlays/production.
    /// </summary>
    public bool MetricsAuth { get; init; }

    /// <summary>
    /// File holding the bearer token sent to node agents (a shared secret, or a projected ServiceAccount token with the
    /// agents' audience); re-read every minute. Null sends no token (only agents without authentication would accept).
    /// </summary>
    public string? AgentTokenFile { get; init; }

    /// <summary>
    /// The operator's namespace for the agent channel's trust: the agent CA's Secret and public ConfigMap live here, and
    /// the signer accepts certificate requests from the agent ServiceAccount of this namespace.
    /// </summary>
    public string AgentTrustNamespace { get; init; } = "tensor-fusion-system";

    /// <summary>Lifetime of the agents' serving certificates (they renew at two thirds of it).</summary>
    public TimeSpan AgentCertificateLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Prometheus base URL the autoscaler reads worker usage from; null scrapes the agents' /metrics directly.</summary>
    public string? PrometheusUrl { get; init; }

    /// <summary>Where the pod admission webhook serves HTTPS (<c>host:port</c> or <c>:port</c>); null serves none.</summary>
    public string? WebhookBindAddress { get; init; }

    /// <summary>DNS names and IPs of the webhook's serving certificate (the Service's names; 127.0.0.1 in local mode).</summary>
    public IReadOnlyList<string> WebhookCertificateNames { get; init; } = [];

    /// <summary>The MutatingWebhookConfiguration whose caBundle this process keeps current.</summary>
    public string WebhookConfigurationName { get; init; } = PodWebhookConfiguration.Name;

    /// <summary>Admit pods with native <c>nvidia.com/gpu</c> limits as whole-GPU shares without the opt-in label.</summary>
    public bool AutoMigrateNativeGpu { get; init; }

    /// <summary>The webhook's settings, or null when <see cref="WebhookBindAddress"/> is not set (call after <see cref="Validate"/>).</summary>
    public OperatorWebhookSettings? Webhook() =>
        WebhookBindAddress is not null && TryParseBindAddress(WebhookBindAddress, out var endpoint)
            ? new OperatorWebhookSettings(endpoint, WebhookCertificateNames, WebhookConfigurationName, new PodAdmissionOptions { AutoMigrateNativeGpu = AutoMigrateNativeGpu })
            : null;

    /// <summary>The names a Service's ClusterIP DNS answers to, as the API server may dial any of them.</summary>
    public static IReadOnlyList<string> ServiceDnsNames(string service, string @namespace) =>
        [service, $"{service}.{@namespace}", $"{service}.{@namespace}.svc", $"{service}.{@namespace}.svc.cluster.local"];

    /// <summary>Problems, each naming the flag to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!TryParseBindAddress(MetricsBindAddress, out _))
        {
            problems.Add($"--metrics-bind-address \"{MetricsBindAddress}\" is not host:port or :port with a port 0–65535 (e.g. 127.0.0.1:8080 or :8080)");
        }

        if (WebhookBindAddress is not null && !TryParseBindAddress(WebhookBindAddress, out _))
        {
            problems.Add($"--webhook-bind-address \"{WebhookBindAddress}\" is not host:port or :port with a port 0–65535 (e.g. :9443), or \"off\"");
        }

        if (WebhookBindAddress is not null && WebhookCertificateNames.Count == 0)
        {
            problems.Add("--webhook-service: the webhook needs at least one DNS name for its certificate");
        }

        if (WebhookBindAddress is not null && string.IsNullOrWhiteSpace(WebhookConfigurationName))
        {
            problems.Add("--webhook-configuration must name the MutatingWebhookConfiguration whose caBundle the operator keeps current");
        }

        if (Kubeconfig is not null && !File.Exists(Kubeconfig))
        {
            problems.Add($"--kubeconfig \"{Kubeconfig}\" does not exist");
        }

        if (AgentTokenFile is not null && Pipelines.Agents.BearerTokenFile.Problem(AgentTokenFile) is { } tokenProblem)
        {
            problems.Add($"--agent-token-file {tokenProblem}");
        }

        if (PrometheusUrl is not null && (!Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var prometheus) || prometheus.Scheme is not ("http" or "https")))
        {
            problems.Add($"--prometheus-url \"{PrometheusUrl}\" is not an http:// or https:// URL (e.g. http://prometheus.monitoring:9090)");
        }

        if (Operator.Validate() is { } problem)
        {
            problems.Add(problem);
        }

        return problems;
    }

    public static bool TryParseBindAddress(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress address;
        if (host.Length == 0 || host == "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (host == "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
