namespace TensorFusion.Gpu.Devices;

/// <summary>Result codes of the accelerator port (same values as libtfaccel's tfaccel_result).</summary>
public enum AcceleratorError
{
    None = 0,
    InvalidArgument = 1,
    NotFound = 2,
    NotSupported = 3,
    ResourceExhausted = 4,
    InUse = 5,
    Internal = 6,
    NoDriver = 7,
    GpuLost = 8,
}
