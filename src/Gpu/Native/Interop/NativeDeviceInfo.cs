using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_device_info (200 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeDeviceInfo
{
    public Utf8Buffer96 Uuid;
    public Utf8Buffer64 Model;
    public uint Index;
    public int NumaNode;
    public ulong MemoryTotalBytes;
    public uint SmCount;
    public uint MigCapable;
    public uint MigEnabled;
    public uint Health;
    public double MaxTflops;
}
