using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Devices;

/// <summary>A worker's limits on one device: the soft value is the target the limiter steers to (the request),
/// the hard value the cap it never exceeds (the limit). Percentages are 0–100 of the device; 0 means none.</summary>
public sealed record WorkerLimits(
    string DeviceUuid,
    IsolationMode Isolation,
    int ComputeSoftPercent,
    int ComputeHardPercent,
    long MemorySoftBytes,
    long MemoryHardBytes);
