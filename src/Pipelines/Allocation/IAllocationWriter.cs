using k8s.Models;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Port: persists allocator decisions in the API server. Implementations never throw for API errors; they classify.</summary>
public interface IAllocationWriter
{
    /// <summary>Writes the allocation annotations on the pod, then binds it to the node through the binding subresource.</summary>
    Task<WriteOutcome> BindAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken);

    /// <summary>Rewrites a placed worker's allocation annotations (in-place resize and its rollback).</summary>
    Task<WriteOutcome> UpdateAllocationAsync(WorkerAllocation allocation, CancellationToken cancellationToken);

    /// <summary>
    /// Evicts a preemption victim through the Eviction API, so PodDisruptionBudgets hold (its workload controller
    /// creates a replacement that waits for capacity). <paramref name="dryRun"/> only asks whether the budgets allow it.
    /// </summary>
    Task<EvictionOutcome> EvictAsync(WorkerAllocation victim, string preemptor, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Sets the pod's PodScheduled=False condition with the allocator's reasons and records an event.</summary>
    Task<WriteOutcome> ReportUnschedulableAsync(V1Pod pod, string reason, CancellationToken cancellationToken);

    /// <summary>Writes GPU, GPUNode and GPUPool status aggregates.</summary>
    Task<WriteOutcome> WriteStatusAsync(CapacityReport report, CancellationToken cancellationToken);
}
