using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_mig_instance (120 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeMigInstance
{
    public Utf8Buffer96 Uuid;
    public uint DeviceIndex;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
    public uint ProfileId;
    public uint PlacementStart;
    public uint PlacementSize;
}
