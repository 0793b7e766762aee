using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_sim_config (112 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeSimConfig
{
    public Utf8Buffer64 Model;
    public Utf8Buffer32 UuidPrefix;
    public uint DeviceCount;
    public uint Reserved;
    public ulong Seed;
}
