namespace TensorFusion.Gpu.Cluster;

/// <summary>State rebuilt from recorded allocations, with every conflict found on the way.</summary>
public sealed record RebuildResult(ClusterState State, IReadOnlyList<AllocationConflict> Conflicts);
