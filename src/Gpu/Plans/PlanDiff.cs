namespace TensorFusion.Gpu.Plans;

/// <summary>
/// The changes that turn the observed node into the planned one, in the order they must run: destroy partitions
/// (frees slices), enable MIG where needed, create partitions, write limits, remove stale limits.
/// </summary>
public sealed record PlanDiff(
    IReadOnlyList<PartitionChange> DestroyPartitions,
    IReadOnlyList<string> EnableMigOn,
    IReadOnlyList<PartitionChange> CreatePartitions,
    IReadOnlyList<LimitChange> WriteLimits,
    IReadOnlyList<string> RemoveLimits,
    IReadOnlyList<AllocationStatus> Unplaceable)
{
    public bool IsEmpty => DestroyPartitions.Count == 0 && EnableMigOn.Count == 0 && CreatePartitions.Count == 0 &&
                           WriteLimits.Count == 0 && RemoveLimits.Count == 0;
}
