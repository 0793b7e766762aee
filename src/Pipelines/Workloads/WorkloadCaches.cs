using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>The caches the workload reconciler reads (it never lists the API server itself).</summary>
public sealed record WorkloadCaches(
    Informer<TensorFusionWorkload> Workloads,
    Informer<GpuPool> Pools,
    Informer<V1Pod> Pods,
    Informer<WorkloadProfile> Profiles)
{
    /// <summary>GPU nodes, to state "gpuCount larger than any node" up front; without it that check is skipped.</summary>
    public Informer<GpuNode>? GpuNodes { get; init; }

    /// <summary>Connections of remote-mode client pods; without it no connection is kept.</summary>
    public Informer<TensorFusionConnection>? Connections { get; init; }

    /// <summary>Name of the pod index by owning workload ("namespace/name" of the workload label); see <see cref="IndexPods"/>.</summary>
    public const string PodsByWorkload = "workload";

    /// <summary>Adds the pod index the reconciler reads (once, when the caches are built).</summary>
    public void IndexPods() => Pods.AddIndex(PodsByWorkload, pod => pod.Metadata.Label(Labels.Workload) is { Length: > 0 } workload
        ? ObjectKeys.Of(pod.Metadata.NamespaceProperty, workload)
        : null);

    /// <summary>Adds the connection index by workload (spec.workloadName), when connections are cached.</summary>
    public void IndexConnections() => Connections?.AddIndex(PodsByWorkload, connection => connection.Spec.WorkloadName is { Length: > 0 } workload
        ? ObjectKeys.Of(connection.Metadata.NamespaceProperty, workload)
        : null);

    /// <summary>The connections naming the workload <paramref name="key"/> ("namespace/name").</summary>
    public IReadOnlyList<TensorFusionConnection> ConnectionsOf(string key) => Connections?.ListByIndex(PodsByWorkload, key) ?? [];

    /// <summary>The pods labelled with the workload <paramref name="key"/> ("namespace/name"): its workers and client pods.</summary>
    public IReadOnlyList<V1Pod> PodsOf(string key) => Pods.ListByIndex(PodsByWorkload, key);
}
