using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_device_metrics (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeDeviceMetrics
{
    public uint Index;
    public uint UtilizationPercent;
    public ulong MemoryUsedBytes;
    public uint PowerMilliwatts;
    public uint TemperatureCelsius;
    public uint Health;
    public uint LastXid;
}
