using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Resources;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Autoscaling;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// The owning workload's spec as resource annotations, written onto each worker pod when it is created (the pod's own
/// annotations still win), so the allocator reads what a worker needs from the worker alone. When autoSetResources
/// resizes workers in place, status.recommendation replaces spec.resources, so new workers start with the
/// recommendation (a recommend-only workload's new workers keep the spec).
/// </summary>
public static class WorkloadAnnotationDefaults
{
    /// <summary>
    /// Writes the workload's needs onto its worker: annotations the pod does not carry, and the workload's required node
    /// affinity where the pod has none. Returns the same pod.
    /// </summary>
    public static V1Pod StampOnto(V1Pod pod, TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(workload);
        pod.Metadata ??= new V1ObjectMeta();
        var annotations = From(workload);
        foreach (var (key, value) in pod.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        pod.Metadata.Annotations = annotations;
        if (workload.Spec.NodeAffinity is { } affinity && pod.Spec?.Affinity?.NodeAffinity is null)
        {
            pod.Spec ??= new V1PodSpec { Containers = [] };
            pod.Spec.Affinity ??= new V1Affinity();
            pod.Spec.Affinity.NodeAffinity = affinity;
        }

        return pod;
    }

    public static Dictionary<string, string> From(TensorFusionWorkload workload)
    {
        var spec = workload.Spec;
        var resources = AutoscaleTargetMapper.ResizesInPlace(workload, out _)
            ? workload.Status?.Recommendation ?? spec.Resources
            : spec.Resources;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(values, Annotations.GpuPool, spec.PoolName);
        Put(values, resources?.Requests, Annotations.TflopsRequest, Annotations.VramRequest, Annotations.ComputePercentRequest);
        Put(values, resources?.Limits, Annotations.TflopsLimit, Annotations.VramLimit, Annotations.ComputePercentLimit);
        Put(values, Annotations.Qos, spec.Qos?.ToString().ToLowerInvariant());
        Put(values, Annotations.Isolation, spec.Isolation?.ToString().ToLowerInvariant());
        Put(values, Annotations.GpuCount, spec.GpuCount?.ToString(CultureInfo.InvariantCulture));
        Put(values, Annotations.GpuIndices, spec.GpuIndices is { Count: > 0 } indices
            ? string.Join(',', indices.Select(index => index.ToString(CultureInfo.InvariantCulture)))
            : null);
        Put(values, Annotations.GpuModel, spec.GpuModel);
        Put(values, Annotations.Vendor, spec.Vendor);
        Put(values, Annotations.PartitionId, spec.PartitionTemplateId);

        PutGang(values, workload);

        // Upstream sets eviction protection on the workload (it prices it); here it also guards its workers from preemption.
        Put(values, Annotations.EvictionProtection, workload.Metadata?.Annotations is { } own && own.TryGetValue(Annotations.EvictionProtection, out var protection) ? protection : null);
        return values;
    }

    /// <summary>
    /// Gang stamps as upstream's webhook writes them: the group is the workload, the quorum is minMembers when it is at
    /// least 2, otherwise every desired replica. A workload of fewer than 2 replicas is no gang.
    /// </summary>
    private static void PutGang(Dictionary<string, string> values, TensorFusionWorkload workload)
    {
        var desired = workload.Spec.Replicas ?? 0;
        if (workload.Spec.GangScheduling is not { } gang || desired < 2)
        {
            return;
        }

        var required = gang.MinMembers is >= 2 and var min ? Math.Min(min, desired) : desired;
        Put(values, Annotations.GangGroupKey, ObjectKey.Of(workload.Metadata).ToString());
        Put(values, Annotations.GangDesiredMembers, desired.ToString(CultureInfo.InvariantCulture));
        Put(values, Annotations.GangRequiredMembers, required.ToString(CultureInfo.InvariantCulture));
        Put(values, Annotations.GangTimeout, gang.Timeout);
    }

    private static void Put(Dictionary<string, string> values, GpuResourceAmount? amount, string tflops, string vram, string compute)
    {
        Put(values, tflops, amount?.Tflops?.ToString());
        Put(values, vram, amount?.Vram?.ToString());
        Put(values, compute, amount?.Compute?.ToString());
    }

    private static void Put(Dictionary<string, string> values, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            values[key] = value;
        }
    }
}
