namespace TensorFusion.Gpu.Plans;

/// <summary>A MIG instance that exists on the node now.</summary>
public sealed record ObservedPartition(string GpuUuid, int GpuInstanceId, int ProfileId, int PlacementStart);
