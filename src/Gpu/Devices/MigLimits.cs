namespace TensorFusion.Gpu.Devices;

/// <summary>Fixed MIG bounds the device boundary shares with the native library.</summary>
public static class MigLimits
{
    /// <summary>
    /// Memory slices of a MIG-capable GPU, hence also the most instances and placement starts one GPU can report.
    /// Mirrors <c>TFACCEL_MAX_PLACEMENTS</c> in <c>native/include/tfaccel.h</c>.
    /// </summary>
    public const int MaxSlices = 8;
}
