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
        TensorFusionWorkload? workload;
        try
        {
            workload = await GetCustomAsync<TensorFusionWorkload>(@namespace, TensorFusionWorkload.KubePluralName, name, cancellationToken);
        }
        catch (JsonException invalid)
        {
            // The operator quarantines such a workload (Ready=False, InvalidSpec); say the same here instead of crashing.
            throw new InvalidOperationException(
                $"TensorFusionWorkload {@namespace}/{name} cannot be read: {FieldPath.FromJsonPath(invalid.Path)}: {invalid.Message}; the operator quarantines it " +
                $"until it is fixed (kubectl get tfw {name} -n {@namespace} -o jsonpath='{{.status.conditions}}')", invalid);
        }

        if (workload is null)
        {
            return null;
        }

        // No pool named: the pool annotated is-default-pool, as the operator resolves it (and then records it in the spec).
        var poolName = workload.Spec?.PoolName is { Length: > 0 } named ? named : await DefaultPoolNameAsync(cancellationToken) ?? "(none: no pool named, no default pool)";
        var pool = await GetCustomAsync<GpuPool>(null, GpuPool.KubePluralName, poolName, cancellationToken);
        var quota = await GetCustomAsync<GpuResourceQuota>(@namespace, GpuResourceQuota.KubePluralName, @namespace, cancellationToken);
        var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: $"{Labels.Workload}={name}", cancellationToken: cancellationToken);
        // Listed by name (every API server supports that selector); WorkloadExplainer keeps only this workload's UID.
        var events = await client.CoreV1.ListNamespacedEventAsync(@namespace, fieldSelector: $"involvedObject.name={name}", cancellationToken: cancellationToken);
        var connections = await client.CustomObjects.ListNamespacedCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, @namespace,
            TensorFusionConnection.KubePluralName, labelSelector: $"{Labels.Workload}={name}", cancellationToken: cancellationToken);
        return new WorkloadFacts(workload, poolName, pool, pods.Items.ToList(), quota, events.Items.ToList())
        {
            Connections = TensorFusionJson.Deserialize<TensorFusionConnectionList>(JsonSerializer.Serialize(connections))?.Items.ToList() ?? [],
        };
    }

    private async Task<string?> DefaultPoolNameAsync(CancellationToken cancellationToken)
    {
        var raw = await client.CustomObjects.ListClusterCustomObjectAsync(TensorFusionApi.Group, TensorFusionApi.Version, GpuPool.KubePluralName, cancellationToken: cancellationToken);
        var pools = TensorFusionJson.Deserialize<GpuPoolList>(JsonSerializer.Serialize(raw))?.Items ?? [];
        return Pipelines.Admission.DefaultPool.Find(pools)?.Metadata?.Name;
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
