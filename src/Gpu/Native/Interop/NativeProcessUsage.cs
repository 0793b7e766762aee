using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_process_usage (152 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeProcessUsage
{
    public uint Pid;
    public uint DeviceIndex;
    public ulong MemoryUsedBytes;
    public uint UtilizationPercent;
    public uint GpuInstanceId;
    public Utf8Buffer128 WorkerId;
}
