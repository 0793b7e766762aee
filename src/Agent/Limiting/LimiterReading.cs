namespace TensorFusion.Agent.Limiting;

/// <summary>One (worker, device) after a controller interval: what the limiter set and what it measured.</summary>
public sealed record LimiterReading(
    string WorkerKey,
    string DeviceUuid,
    int RequestPercent,
    int LimitPercent,
    double MeasuredPercent,
    double TargetPercent,
    double GrantedPercent,
    RegionDeviceCounters Counters,
    long ReclaimedSlots);
