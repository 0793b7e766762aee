using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>Raw bindings to libtfaccel. Every export of native/include/tfaccel.h has exactly one entry here.</summary>
internal static partial class NativeMethods
{
    private const string Library = "tfaccel";

    [LibraryImport(Library, EntryPoint = "tfaccel_abi_version")]
    internal static partial uint AbiVersion();
}
