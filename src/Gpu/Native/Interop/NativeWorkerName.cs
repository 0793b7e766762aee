using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_worker_name (128 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeWorkerName
{
    public Utf8Buffer128 WorkerId;
}
