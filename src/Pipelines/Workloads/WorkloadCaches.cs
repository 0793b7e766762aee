using k8s.Models;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Informers;

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
}
