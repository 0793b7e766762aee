using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_worker_limits (128 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeWorkerLimits
{
    public Utf8Buffer96 DeviceUuid;
    public uint Isolation;
    public uint ComputeSoftPercent;
    public uint ComputeHardPercent;
    public uint Reserved;
    public ulong MemorySoftBytes;
    public ulong MemoryHardBytes;
}
