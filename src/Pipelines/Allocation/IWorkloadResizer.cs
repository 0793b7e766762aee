using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Port: resizes every placed worker of a workload in place, all or none.</summary>
public interface IWorkloadResizer
{
    /// <summary>New per-GPU request and limit for each worker; on any failure every worker keeps its old resources.</summary>
    Task<ResizeOutcome> ResizeWorkloadAsync(string workloadNamespace, string workload, GpuResources request, GpuResources limit, CancellationToken cancellationToken);
}
