namespace TensorFusion.Gpu.Plans;

/// <summary>A MIG instance to create or destroy. <see cref="GpuInstanceId"/> is set for destroys;
/// <see cref="OwnerKey"/> is the worker key of the allocation that wants it (creates only).</summary>
public sealed record PartitionChange(
    string GpuUuid,
    int ProfileId,
    int PlacementStart,
    int? GpuInstanceId = null,
    string? OwnerKey = null);
