using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>Reads the engine's facts off pods: worker or client, index, readiness.</summary>
public static class WorkerPods
{
    /// <summary>Label holding a fixed-replica worker's index (its name is derived from it, so creates are idempotent).</summary>
    public const string IndexLabel = Labels.Prefix + "worker-index";

    /// <summary>Label on a dynamic-mode worker naming the client pod it serves.</summary>
    public const string ClientPodLabel = Labels.Prefix + "client-pod";

    public static bool IsWorker(V1Pod pod) =>
        pod?.Metadata.Labels?.TryGetValue(Labels.Component, out var component) == true && component == ComponentValues.Worker;

    public static bool IsActive(V1Pod pod) => pod?.Metadata.DeletionTimestamp is null;

    public static bool IsReady(V1Pod pod) =>
        pod?.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsFailed(V1Pod pod) => pod?.Status?.Phase == "Failed";

    public static WorkerPodState State(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata.Labels;
        int? index = labels?.TryGetValue(IndexLabel, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new WorkerPodState(
            pod.Metadata.Name,
            pod.Metadata.Uid,
            pod.Metadata.Label(Labels.PodTemplateHash),
            index,
            IsReady(pod),
            pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue);
    }
}
