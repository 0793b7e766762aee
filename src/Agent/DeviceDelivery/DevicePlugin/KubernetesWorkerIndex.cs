using System.Globalization;
using k8s;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Agent.DeviceDelivery.DevicePlugin;

/// <summary>Lists the worker pods on this node (<c>fieldSelector=spec.nodeName</c>, the agent's RBAC) on each Allocate
/// and picks the one annotated with the index. Allocate is rare (once per container start), so no cache is kept.</summary>
public sealed class KubernetesWorkerIndex(IKubernetes client, string nodeName) : IWorkerIndex
{
    public async Task<(string Namespace, string Worker)?> FindAsync(int podIndex, CancellationToken cancellationToken)
    {
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(
            fieldSelector: $"spec.nodeName={nodeName}", labelSelector: Labels.Workload, cancellationToken: cancellationToken);
        var wanted = podIndex.ToString(CultureInfo.InvariantCulture);
        var pod = pods.Items.FirstOrDefault(p => p.Metadata?.Annotations?.TryGetValue(Annotations.Index, out var value) == true && value == wanted);
        return pod is null ? null : (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
    }
}
