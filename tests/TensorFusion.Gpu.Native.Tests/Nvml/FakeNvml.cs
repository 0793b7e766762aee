using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Tests.Nvml;

/// <summary>
/// The controls of native/tests/nvml_fake/fake_nvml_events.c, the fake libnvidia-ml.so.1 built beside the tests. The
/// NVML backend dlopens the same file, so both share its state: queued Xid events and failing waits.
/// </summary>
internal static unsafe class FakeNvml
{
    /// <summary>NVML return codes the tests make nvmlEventSetWait_v2 answer.</summary>
    public const int GpuIsLost = 15;
    public const int Unknown = 999;

    public static readonly string LibraryPath = Path.Combine(AppContext.BaseDirectory, "fakenvml", "libnvidia-ml.so.1");

    private static readonly nint Library = NativeLibrary.Load(LibraryPath);

    public static void Reset() => ((delegate* unmanaged<void>)Export("fakenvml_reset"))();

    public static void FailWaits(int code, uint times) => ((delegate* unmanaged<int, uint, void>)Export("fakenvml_fail_waits"))(code, times);

    /// <param name="deviceIndex">-1: a device handle NVML never listed.</param>
    /// <param name="xid">The Xid the event carries.</param>
    public static void QueueXid(int deviceIndex, ulong xid) => ((delegate* unmanaged<int, ulong, void>)Export("fakenvml_queue_xid"))(deviceIndex, xid);

    public static uint WaitCalls => ((delegate* unmanaged<uint>)Export("fakenvml_wait_calls"))();

    public static uint RegisteredDevices => ((delegate* unmanaged<uint>)Export("fakenvml_registered_devices"))();

    private static nint Export(string name) => NativeLibrary.GetExport(Library, name);
}
