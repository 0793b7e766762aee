using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TensorFusion.Api;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Persists decisions through the Kubernetes API: the binding subresource carrying the allocation annotations (a resize
/// rewrites them by merge patch); victims
/// deleted with a preemption event; unschedulable workers get a PodScheduled=False condition and an event; status
/// aggregates by merge patch on the status subresource. API errors are classified, never thrown.
/// </summary>
public sealed class KubernetesAllocationWriter(IKubernetes client, TimeProvider time) : IAllocationWriter
{
    private const string Component = "tensor-fusion-scheduler";

    public async Task<WriteOutcome> BindAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty ?? "default");
        // The API server copies the Binding's annotations onto the pod in the same write.
        var binding = new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = AllocationAnnotations.For(allocation) },
            Target = new V1ObjectReference { Kind = "Node", ApiVersion = "v1", Name = allocation.Node },
        };
        return await TryAsync(() => client.CoreV1.CreateNamespacedPodBindingAsync(binding, name, ns, cancellationToken: cancellationToken));
    }

    public Task<WriteOutcome> UpdateAllocationAsync(WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in AllocationAnnotations.For(allocation))
        {
            annotations[key] = value;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        return TryAsync(() => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            allocation.Request.Worker, allocation.Request.Namespace, cancellationToken: cancellationToken));
    }

    public async Task<WriteOutcome> EvictAsync(WorkerAllocation victim, string preemptor, CancellationToken cancellationToken)
    {
        var (ns, name) = (victim.Request.Namespace, victim.Request.Worker);
        await RecordEventAsync(ns, name, "Warning", "Preempted", $"preempted by {preemptor} (QoS {victim.Qos})", cancellationToken);
        var outcome = await TryAsync(() => client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken));
        return outcome == WriteOutcome.Gone ? WriteOutcome.Done : outcome;
    }

    public async Task<WriteOutcome> ReportUnschedulableAsync(V1Pod pod, string reason, CancellationToken cancellationToken)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty ?? "default");
        var condition = new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = "Unschedulable",
            ["message"] = reason,
            ["lastTransitionTime"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition) } };
        var outcome = await TryAsync(() => client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: cancellationToken));
        if (outcome == WriteOutcome.Done)
        {
            await RecordEventAsync(ns, name, "Warning", "FailedScheduling", reason, cancellationToken);
        }

        return outcome;
    }

    public async Task<WriteOutcome> WriteStatusAsync(CapacityReport report, CancellationToken cancellationToken)
    {
        var worst = WriteOutcome.Done;
        foreach (var gpu in report.Gpus)
        {
            worst = Worse(worst, await PatchStatusAsync("gpus", gpu.Name, StatusPatches.ForGpu(gpu), cancellationToken));
        }

        foreach (var node in report.Nodes)
        {
            worst = Worse(worst, await PatchStatusAsync("gpunodes", node.Name, StatusPatches.ForNode(node), cancellationToken));
        }

        foreach (var pool in report.Pools)
        {
            worst = Worse(worst, await PatchStatusAsync("gpupools", pool.Name, StatusPatches.ForPool(pool), cancellationToken));
        }

        return worst;
    }

    private Task<WriteOutcome> PatchStatusAsync(string plural, string name, JsonObject body, CancellationToken cancellationToken) =>
        TryAsync(() => client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch),
            TensorFusionApi.Group, TensorFusionApi.Version, plural, name, cancellationToken: cancellationToken));

    private async Task RecordEventAsync(string ns, string pod, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var record = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = pod + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", Name = pod, NamespaceProperty = ns },
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Source = new V1EventSource { Component = Component },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        await TryAsync(() => client.CoreV1.CreateNamespacedEventAsync(record, ns, cancellationToken: cancellationToken));
    }

    private static WriteOutcome Worse(WriteOutcome a, WriteOutcome b) => a == WriteOutcome.Failed || b == WriteOutcome.Failed
        ? WriteOutcome.Failed
        : a == WriteOutcome.Gone || b == WriteOutcome.Gone ? WriteOutcome.Gone : WriteOutcome.Done;

    private static async Task<WriteOutcome> TryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return WriteOutcome.Done;
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return WriteOutcome.Gone;
        }
        catch (HttpOperationException)
        {
            return WriteOutcome.Failed;
        }
        catch (HttpRequestException)
        {
            return WriteOutcome.Failed;
        }
    }
}
