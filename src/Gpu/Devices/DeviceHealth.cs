namespace TensorFusion.Gpu.Devices;

/// <summary>Health of a device as the driver reports it.</summary>
public enum DeviceHealth
{
    Healthy = 0,
    /// <summary>A critical (non-application) Xid was seen; keep existing work, place nothing new.</summary>
    XidCritical = 1,
    /// <summary>Fell off the bus or needs a reset.</summary>
    Lost = 2,
}
