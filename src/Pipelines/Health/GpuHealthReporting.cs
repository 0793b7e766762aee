using System.Reactive.Linq;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Gpus;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using ApiGpu = TensorFusion.Api.Gpus.Gpu;

namespace TensorFusion.Pipelines.Health;

/// <summary>
/// The rules of sick-GPU reporting: when a GPU counts as unhealthy, which workers run on it, and which of them need
/// a look (the names a user sees are in <see cref="ConditionTypes"/>, <see cref="ConditionReasons"/>, <see cref="EventReasons"/>).
/// </summary>
public static class GpuHealthReporting
{
    /// <summary>Pod condition on each placed worker: False while one of its GPUs is unhealthy.</summary>
    public const string ConditionType = ConditionTypes.GpuHealthy;

    /// <summary>Index of the worker-pod cache by node (spec.nodeName), to find a GPU's workers.</summary>
    public const string PodsByNode = "node";

    /// <summary>
    /// A GPU the agent reports failed (critical Xid, lost, reset required): phase Unknown, the reason in
    /// status.message. Pending or Provisioning GPUs are not sick, only not ready yet.
    /// </summary>
    public static bool IsSick(ApiGpu? gpu) => gpu?.Status?.Phase is GpuPhase.Unknown;

    /// <summary>What is wrong with a sick GPU, in the agent's words.</summary>
    public static string FaultOf(ApiGpu gpu) =>
        gpu.Status?.Message is { Length: > 0 } message ? message : "reported unhealthy by its node agent";

    /// <summary>The GPU objects a placed worker holds (annotation tensor-fusion.ai/gpu-ids); empty when not placed.</summary>
    public static IReadOnlyList<string> GpuIdsOf(V1Pod pod) =>
        pod.Metadata.Annotation(Annotations.GpuIds) is { Length: > 0 } ids && !string.IsNullOrEmpty(pod.Spec?.NodeName)
            ? ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    /// <summary>Adds the by-node index <see cref="WorkersOn"/> reads (once, when the caches are built).</summary>
    public static void IndexPodsByNode(Informer<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        pods.AddIndex(PodsByNode, pod => pod.Spec?.NodeName is { Length: > 0 } node ? node : null);
    }

    /// <summary>Keys of the placed workers holding <paramref name="gpu"/>.</summary>
    public static IEnumerable<string> WorkersOn(Informer<V1Pod> pods, ApiGpu gpu)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(gpu);
        var node = gpu.Status?.NodeSelector?.GetValueOrDefault("kubernetes.io/hostname");
        return string.IsNullOrEmpty(node)
            ? []
            : pods.ListByIndex(PodsByNode, node).Where(pod => GpuIdsOf(pod).Contains(gpu.Metadata.Name, StringComparer.Ordinal)).Select(ObjectKeys.Of);
    }

    /// <summary>
    /// Worker keys to reconcile: every worker of a GPU whose health changed, and each worker that changed itself while
    /// it has something to report (<see cref="NeedsReport"/>).
    /// </summary>
    public static IObservable<string> Keys(Informer<V1Pod> pods, Informer<ApiGpu> gpus)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(gpus);
        var fromGpus = gpus.Changes.Where(HealthChanged).SelectMany(change => WorkersOn(pods, change.Current).ToList());
        var fromPods = pods.Changes
            .Where(change => change.Type != ChangeType.Deleted && NeedsReport(change.Current, id => gpus.Get(null, id)))
            .Select(change => ObjectKeys.Of(change.Current));
        return fromGpus.Merge(fromPods);
    }

    /// <summary>A GPU change that can change what its workers should show: it fell sick, healed, or its fault changed.</summary>
    public static bool HealthChanged(ObjectChange<ApiGpu> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type == ChangeType.Deleted)
        {
            return false;
        }

        var before = change.Previous;
        return IsSick(change.Current) != IsSick(before)
            || (IsSick(change.Current) && FaultOf(change.Current) != FaultOf(before!));
    }

    /// <summary>
    /// A worker worth a look after its own change: placed, and either one of its GPUs is sick or it still shows a
    /// GPUHealthy=False condition (a fresh pod on a sick GPU, an operator restart, a condition another writer dropped).
    /// </summary>
    public static bool NeedsReport(V1Pod pod, Func<string, ApiGpu?> gpu)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(gpu);
        var ids = GpuIdsOf(pod);
        return ids.Count > 0
            && (ids.Any(id => IsSick(gpu(id))) || pod.Status?.Conditions?.Any(c => c is { Type: ConditionType, Status: "False" }) == true);
    }
}
