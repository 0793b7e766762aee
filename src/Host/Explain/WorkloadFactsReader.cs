using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using TensorFusion.Api;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Host.Explain;

/// <summary>Reads <see cref="WorkloadFacts"/> from a live cluster through the Kubernetes API.</summary>
public sealed class WorkloadFactsReader(IKubernetes client)
{
    /// <summary>The facts, or null when the workload does not exist.</summary>
    public async Task<WorkloadFacts?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var workload = await GetCustomAsync<TensorFusionWorkload>(@namespace, TensorFusionWorkload.KubePluralName, name, cancellationToken);
        if (workload is null)
        {
            return null;
        }

        var poolName = workload.Spec?.PoolName ?? "default-pool";
        var pool = await GetCustomAsync<GpuPool>(null, GpuPool.KubePluralName, poolName, cancellationToken);
        var quota = await GetCustomAsync<GpuResourceQuota>(@namespace, GpuResourceQuota.KubePluralName, @namespace, cancellationToken);
        var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: $"{Labels.Workload}={name}", cancellationToken: cancellationToken);
        var events = await client.CoreV1.ListNamespacedEventAsync(@namespace, fieldSelector: $"involvedObject.name={name}", cancellationToken: cancellationToken);
        var connections = await client.CustomObjects.ListNamespacedCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, @namespace,
            TensorFusionConnection.KubePluralName, labelSelector: $"{Labels.Workload}={name}", cancellationToken: cancellationToken);
        return new WorkloadFacts(workload, poolName, pool, pods.Items.ToList(), quota, events.Items.ToList())
        {
            Connections = TensorFusionJson.Deserialize<TensorFusionConnectionList>(JsonSerializer.Serialize(connections))?.Items.ToList() ?? [],
        };
    }

    private async Task<T?> GetCustomAsync<T>(string? @namespace, string plural, string name, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var raw = @namespace is null
                ? await client.CustomObjects.GetClusterCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, plural, name, cancellationToken)
                : await client.CustomObjects.GetNamespacedCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, @namespace, plural, name, cancellationToken);
            return TensorFusionJson.Deserialize<T>(JsonSerializer.Serialize(raw));
        }
        catch (HttpOperationException failure) when (failure.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
