using System.Text;

namespace TensorFusion.Host.Local;

/// <summary>The getting-started text printed once local mode is up.</summary>
public static class LocalBanner
{
    public static string Render(LocalEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"TensorFusion local is running: API server {environment.Server.BaseUri}");
        text.AppendLine($"  endpoints: {environment.EndpointsPath}");
        text.AppendLine($"  Prometheus: {environment.PrometheusNote}");
        text.AppendLine();
        text.AppendLine("Try it:");
        text.AppendLine($"  export KUBECONFIG={environment.KubeconfigPath}");
        text.AppendLine("  kubectl get nodes");
        text.AppendLine("  kubectl apply -f deploy/examples/local/fixed-replicas.yaml");
        text.AppendLine("  kubectl get tfw -w");
        text.AppendLine("  kubectl apply -f deploy/examples/local/deployment-webhook.yaml   # upstream style: an annotated Deployment, no workload written");
        text.AppendLine();
        text.AppendLine("Press Ctrl-C to stop.");
        return text.ToString();
    }
}
