using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Health;

/// <summary>
/// Reports, never moves: for one placed worker pod (key "namespace/name"), keeps its <c>GPUHealthy</c> condition in
/// line with its GPUs — False naming each unhealthy GPU and its fault while one is sick, True once all heal — and
/// records a Warning (sick) or Normal (recovered) event on its workload naming the GPU. The worker keeps running where
/// it is: whether to restart it is the user's decision (the allocator already places nothing new on the GPU).
/// </summary>
public sealed class GpuHealthReconciler(Informer<V1Pod> pods, Informer<ApiGpu> gpus, KubeRestClient client, EventRecorder events, TimeProvider time)
    : IReconciler<string>
{
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey.Parse(key);
        var pod = pods.Get(objectKey.Namespace, objectKey.Name);
        if (pod is null || pod.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var ids = GpuHealthReporting.GpuIdsOf(pod);
        var node = pod.Spec?.NodeName ?? string.Empty;
        var sick = ids.Select(id => gpus.Get(null, id)).Where(GpuHealthReporting.IsSick).Select(gpu => gpu!).ToList();
        var existing = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == GpuHealthReporting.ConditionType);
        if (sick.Count == 0 && existing is not { Status: "False" })
        {
            return ReconcileResult.Done;
        }

        var healthy = sick.Count == 0;
        var message = healthy
            ? $"GPU {string.Join(", ", ids)} on node {node} healthy again"
            : string.Join("; ", sick.Select(gpu => $"GPU {gpu.Metadata.Name} on node {node}: {GpuHealthReporting.FaultOf(gpu)}"))
              + ". The worker is left where it is (not moved); nothing new is placed on that GPU";
        if (existing is not null && existing.Status == (healthy ? "True" : "False") && existing.Message == message)
        {
            return ReconcileResult.Done;
        }

        try
        {
            await client.MergePatchAsync<JsonNode>(ResourceDescriptor.Pods.ObjectPath(objectKey.Namespace, objectKey.Name) + "/status",
                ConditionPatch(pod, healthy, message), cancellationToken);
        }
        catch (ApiStatusException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return ReconcileResult.Done;
        }
        catch (ApiStatusException e) when (e.IsConflict)
        {
            // The pod changed since the cache saw it: its watch event brings the new version, then this key runs again.
            return ReconcileResult.Retry;
        }

        if (WorkloadOf(pod) is { } workload)
        {
            var (type, reason, text) = healthy
                ? (EventRecorder.Normal, EventReasons.GpuRecovered, $"worker {pod.Metadata.Name}: {message}")
                : (EventRecorder.Warning, EventReasons.GpuUnhealthy, $"worker {pod.Metadata.Name}: {message}");
            // A GPU that falls sick again after it healed is news again: forget the opposite report.
            events.Forget(workload.Uid ?? $"{workload.NamespaceProperty}/{workload.Name}", healthy ? EventReasons.GpuUnhealthy : EventReasons.GpuRecovered);
            await events.RecordAsync(TensorFusionApi.ApiVersion, TensorFusionWorkload.KubeKind, workload, type, reason, text, cancellationToken);
        }

        return ReconcileResult.Done;
    }

    /// <summary>
    /// The whole conditions list (a merge patch replaces lists) with GPUHealthy set, guarded by the cached pod's
    /// resourceVersion so a condition the kubelet wrote since is never overwritten.
    /// </summary>
    private JsonObject ConditionPatch(V1Pod pod, bool healthy, string message)
    {
        var existing = pod.Status?.Conditions ?? [];
        var previous = existing.FirstOrDefault(c => c.Type == GpuHealthReporting.ConditionType);
        var status = healthy ? "True" : "False";
        var conditions = new JsonArray();
        foreach (var other in existing.Where(c => c.Type != GpuHealthReporting.ConditionType))
        {
            conditions.Add(JsonSerializer.SerializeToNode(other, TensorFusionJson.Options));
        }

        var transition = previous is not null && previous.Status == status && previous.LastTransitionTime is { } kept ? kept : time.GetUtcNow().UtcDateTime;
        conditions.Add(new JsonObject
        {
            ["type"] = GpuHealthReporting.ConditionType,
            ["status"] = status,
            ["reason"] = healthy ? ConditionReasons.GpuHealthy : ConditionReasons.GpuUnhealthy,
            ["message"] = message,
            ["lastTransitionTime"] = transition.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = pod.Metadata.ResourceVersion },
            ["status"] = new JsonObject { ["conditions"] = conditions },
        };
    }

    /// <summary>The workload that owns the worker (its controller reference), as the event's subject.</summary>
    private static V1ObjectMeta? WorkloadOf(V1Pod pod) =>
        pod.Metadata.OwnerReferences?.FirstOrDefault(owner => owner.Kind == TensorFusionWorkload.KubeKind) is { } owner
            ? new V1ObjectMeta { Name = owner.Name, Uid = owner.Uid, NamespaceProperty = pod.Metadata.NamespaceProperty }
            : pod.Metadata.Label(Labels.Workload) is { Length: > 0 } workload
                ? new V1ObjectMeta { Name = workload, NamespaceProperty = pod.Metadata.NamespaceProperty }
                : null;
}
