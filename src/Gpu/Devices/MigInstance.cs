namespace TensorFusion.Gpu.Devices;

/// <summary>A GPU instance on a device, at memory slices [PlacementStart, PlacementStart + PlacementSize).</summary>
public sealed record MigInstance(
    string Uuid,
    int DeviceIndex,
    int GpuInstanceId,
    int ComputeInstanceId,
    int ProfileId,
    int PlacementStart,
    int PlacementSize);
