using TensorFusion.Gpu.Native.Interop;

namespace TensorFusion.Gpu.Native;

/// <summary>Facts about the loaded native library.</summary>
public static class NativeLibraryInfo
{
    /// <summary>The ABI version this assembly was written against; must equal the library's.</summary>
    public const uint ExpectedAbiVersion = 2;

    /// <summary>The ABI version reported by the loaded libtfaccel.</summary>
    public static uint LoadedAbiVersion => NativeMethods.AbiVersion();
}
