using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Quotas;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Host.Explain;

/// <summary>Everything `explain workload` reads from the cluster, fetched once so the explanation is one consistent story.</summary>
public sealed record WorkloadFacts(
    TensorFusionWorkload Workload,
    string PoolName,
    GpuPool? Pool,
    IReadOnlyList<V1Pod> Workers,
    GpuResourceQuota? Quota,
    IReadOnlyList<Corev1Event> Events)
{
    /// <summary>The workload's connections (remote mode): which client each worker serves.</summary>
    public IReadOnlyList<TensorFusionConnection> Connections { get; init; } = [];
}
