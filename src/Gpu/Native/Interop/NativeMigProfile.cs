using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_mig_profile (96 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeMigProfile
{
    public Utf8Buffer32 Name;
    public uint ProfileId;
    public uint ComputeSlices;
    public uint MemorySlices;
    public uint MaxCount;
    public ulong MemoryBytes;
    public uint SmCount;
    public uint PlacementCount;
    public PlacementStarts PlacementStarts;
}
