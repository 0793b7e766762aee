using Microsoft.Win32.SafeHandles;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>Owns a tfaccel_context*; releasing it calls tfaccel_shutdown exactly once.</summary>
internal sealed class AcceleratorContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public AcceleratorContextHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => NativeMethods.Shutdown(handle) == 0;
}
