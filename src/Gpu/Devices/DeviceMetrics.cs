namespace TensorFusion.Gpu.Devices;

/// <summary>A point-in-time reading of one device. Utilisation is 0–100 % of the device's SMs.</summary>
public sealed record DeviceMetrics(
    int Index,
    int UtilizationPercent,
    long MemoryUsedBytes,
    double PowerWatts,
    int TemperatureCelsius,
    DeviceHealth Health,
    int LastXid);
