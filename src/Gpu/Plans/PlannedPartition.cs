namespace TensorFusion.Gpu.Plans;

/// <summary>A MIG GPU instance of <see cref="ProfileId"/> at <see cref="PlacementStart"/> (memory-slice axis).</summary>
public sealed record PlannedPartition(int ProfileId, int PlacementStart);
