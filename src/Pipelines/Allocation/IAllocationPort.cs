using TensorFusion.Estimators.Merging;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// What the autoscaler may ask of the allocator (the autoscaler depends on this port, never the reverse): the headroom
/// on the GPUs a workload's workers hold, and an in-place resize, decided in the allocator's one decision stage.
/// </summary>
public interface IAllocationPort
{
    /// <summary>New per-GPU request and limit for each worker; on any failure every worker keeps its old resources.</summary>
    Task<ResizeOutcome> ResizeWorkloadAsync(string workloadNamespace, string workload, GpuResources request, GpuResources limit, CancellationToken cancellationToken);

    /// <summary>For every GPU holding the workload's workers: what is still available there and what the workload holds.</summary>
    IReadOnlyList<GpuHeadroom> HeadroomOf(string workloadNamespace, string workload);
}
