using System.Text.Json;
using k8s;
using k8s.Models;
using TensorFusion.Api.Serialization;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Operating;

/// <summary>
/// Which cache changes can change the allocator's inventory. Status the pipeline itself writes (GPU available and
/// runningApps, node and pool totals) and agent heartbeats must not count, or every placement would retry every
/// waiting worker.
/// </summary>
public static class InventoryRelevance
{
    /// <summary>A GPU matters when its node, pool, model, index, phase or owner changed.</summary>
    public static bool Gpu(ObjectChange<ApiGpu> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Type != ChangeType.Modified || change.Previous is null || GpuFacts(change.Previous) != GpuFacts(change.Current);
    }

    /// <summary>Nodes (GPUNode or Node) matter through their labels (node affinity, pool).</summary>
    public static bool NodeLabels<T>(ObjectChange<T> change)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Type != ChangeType.Modified || change.Previous is null || !SameLabels(change.Previous.Metadata.Labels, change.Current.Metadata.Labels);
    }

    /// <summary>Pools, quotas and templates matter through their spec (generation moves only when the spec does).</summary>
    public static bool Spec<T>(ObjectChange<T> change)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type != ChangeType.Modified || change.Previous is null)
        {
            return true;
        }

        return change.Previous.Metadata.Generation is { } before && change.Current.Metadata.Generation is { } after
            ? before != after
            : SpecText(change.Previous) != SpecText(change.Current);
    }

    private static string GpuFacts(ApiGpu gpu)
    {
        var status = gpu.Status;
        return string.Join('|',
            gpu.Metadata.Label(Api.Conventions.Labels.GpuPool),
            status?.NodeSelector?.GetValueOrDefault("kubernetes.io/hostname"),
            status?.GpuModel ?? status?.Model,
            status?.Index,
            status?.Phase,
            status?.UsedBy);
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(pair => b!.TryGetValue(pair.Key, out var value) && value == pair.Value));

    private static string SpecText<T>(T item) =>
        JsonSerializer.SerializeToElement(item, TensorFusionJson.Options).TryGetProperty("spec", out var spec) ? spec.GetRawText() : string.Empty;
}
