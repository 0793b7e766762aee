using k8s;

namespace TensorFusion.Host.Explain;

/// <summary>Finds the cluster the way kubectl does: an explicit kubeconfig, then $KUBECONFIG, ~/.kube/config, in-cluster.</summary>
public static class ClusterConnection
{
    public static KubernetesClientConfiguration Load(string? kubeconfigPath)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return File.Exists(kubeconfigPath)
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath)
                : throw new FileNotFoundException($"kubeconfig {kubeconfigPath} does not exist");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var first = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
            if (first is not null)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(first);
            }
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(home);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : throw new InvalidOperationException("no kubeconfig found and not running in a cluster");
    }
}
