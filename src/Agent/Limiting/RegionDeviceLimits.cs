namespace TensorFusion.Agent.Limiting;

/// <summary>One device entry of a worker's region as the plan sets it (0 = unlimited for the hard figures).</summary>
public sealed record RegionDeviceLimits(
    string DeviceUuid, long MemorySoftBytes, long MemoryHardBytes, int ComputeSoftPercent, int ComputeHardPercent);
