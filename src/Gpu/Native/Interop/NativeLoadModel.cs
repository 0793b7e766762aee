using System.Runtime.InteropServices;

namespace TensorFusion.Gpu.Native.Interop;

/// <summary>tfaccel_load_model (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeLoadModel
{
    public uint Kind;
    public uint Reserved;
    public double Base;
    public double Amplitude;
    public double PeriodSeconds;
    public double StepAtSeconds;
    public double StepLevel;
    public double Noise;
    public ulong MemoryBytes;
}
