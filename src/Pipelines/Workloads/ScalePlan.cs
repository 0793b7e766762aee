namespace TensorFusion.Pipelines.Workloads;

/// <summary>What one reconcile does to a fixed-replica workload's workers: pod indices to create, pods to delete.</summary>
public sealed record ScalePlan(IReadOnlyList<int> CreateIndices, IReadOnlyList<WorkerPodState> Delete)
{
    public bool IsEmpty => CreateIndices.Count == 0 && Delete.Count == 0;
}
