namespace TensorFusion.Gpu.Devices;

/// <summary>One compute process on a device. <paramref name="UtilizationPercent"/> is a share of the whole device;
/// <paramref name="WorkerId"/> is empty when the backend cannot attribute the process to a worker.</summary>
public sealed record ProcessUsage(
    int Pid,
    int DeviceIndex,
    long MemoryUsedBytes,
    int UtilizationPercent,
    int? GpuInstanceId,
    string WorkerId);
