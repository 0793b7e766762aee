using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// What admission does with a parsed pod: the TensorFusionWorkload it joins (created or patched) and the RFC 6902 JSON
/// patch for the pod. Local GPU mode: the pod is the worker (our scheduler places it and reserves its share, native GPU
/// limits are removed); remote mode: the pod is a client and keeps the default scheduler.
/// </summary>
public static class PodMutation
{
    /// <summary>The scheduler that places workers (the allocation pipeline binds pods naming it).</summary>
    public const string SchedulerName = WorkerRequestMapper.SchedulerName;

    /// <summary>PriorityClass names for the QoS levels that get one (deploy/base creates both).</summary>
    public const string HighPriorityClass = "tensor-fusion-high";
    public const string CriticalPriorityClass = "tensor-fusion-critical";

    public static TensorFusionWorkload Workload(ParsedGpuPod parsed, string ns)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var meta = new V1ObjectMeta
        {
            Name = parsed.WorkloadName,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [Labels.GpuPool] = parsed.Pool.Metadata.Name },
            Annotations = new Dictionary<string, string> { [Annotations.WorkloadMode] = WorkloadModeValues.Dynamic },
        };
        if (parsed.Owner is { Uid.Length: > 0 } owner)
        {
            // Not a controller reference: the Deployment's controller owns its ReplicaSets, the workload is only collected with it.
            meta.OwnerReferences = [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name, Uid = owner.Uid, BlockOwnerDeletion = false }];
        }

        return new TensorFusionWorkload { Metadata = meta, Spec = parsed.Spec };
    }

    /// <summary>The JSON patch for the pod, given the workload as stored (its spec fills the pod's resource annotations).</summary>
    public static JsonArray PodPatch(V1Pod pod, ParsedGpuPod parsed, TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(parsed);
        var local = parsed.Spec.IsLocalGpu == true || parsed.Spec.SidecarWorker == true;
        var labels = new Dictionary<string, string>(pod.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Labels.Enabled] = "true",
            [Labels.Workload] = parsed.WorkloadName,
            [Labels.GpuPool] = parsed.Pool.Metadata.Name,
        };
        if (!local)
        {
            labels[Labels.Component] = ComponentValues.Client;
        }

        var annotations = new Dictionary<string, string>(pod.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in WorkloadAnnotationDefaults.From(workload))
        {
            // The resolved values win: a defaulted request, the pool in effect, the QoS computed.
            annotations[key] = value;
        }

        annotations[Annotations.InjectContainer] = string.Join(',', parsed.ContainerNames);
        if (local)
        {
            annotations[Annotations.EmbeddedWorker] = "true";
        }

        if (parsed.Dedicated)
        {
            annotations[Annotations.DedicatedWorker] = "true";
        }

        var patch = new JsonArray
        {
            Add("/metadata/labels", ToObject(labels)),
            Add("/metadata/annotations", ToObject(annotations)),
        };
        if (local)
        {
            patch.Add(Add("/spec/schedulerName", SchedulerName));
            AddNativeGpuRemovals(pod, patch);
        }

        if (string.IsNullOrEmpty(pod.Spec?.PriorityClassName) && PriorityClassOf(parsed.Spec.Qos) is { } priorityClass)
        {
            patch.Add(Add("/spec/priorityClassName", priorityClass));
        }

        return patch;
    }

    public static string? PriorityClassOf(QosLevel? qos) => qos switch
    {
        QosLevel.High => HighPriorityClass,
        QosLevel.Critical => CriticalPriorityClass,
        _ => null,
    };

    /// <summary>The engine places the share itself; a kept <c>nvidia.com/gpu</c> limit would ask the device plugin for a whole GPU too.</summary>
    private static void AddNativeGpuRemovals(V1Pod pod, JsonArray patch)
    {
        var containers = pod.Spec?.Containers ?? [];
        for (var index = 0; index < containers.Count; index++)
        {
            var resources = containers[index].Resources;
            foreach (var (part, values) in new[] { ("limits", resources?.Limits), ("requests", resources?.Requests) })
            {
                if (values?.ContainsKey(PodAnnotationParser.NativeGpuResource) == true)
                {
                    // "/" in a resource name is "~1" in a JSON pointer.
                    patch.Add(new JsonObject { ["op"] = "remove", ["path"] = $"/spec/containers/{index}/resources/{part}/nvidia.com~1gpu" });
                }
            }
        }
    }

    private static JsonObject Add(string path, JsonNode value) => new() { ["op"] = "add", ["path"] = path, ["value"] = value };

    private static JsonObject ToObject(Dictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }
}
