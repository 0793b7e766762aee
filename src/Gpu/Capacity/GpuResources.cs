namespace TensorFusion.Gpu.Capacity;

/// <summary>
/// An amount of GPU compute and memory. Compute is held in milli-TFLOPs (dense FP16) and memory in bytes, both
/// integers, so that adding and releasing allocations in any order gives back exactly the same availability.
/// </summary>
public readonly record struct GpuResources(long MilliTflops, long VramBytes)
{
    public static GpuResources Zero => default;

    /// <summary>Compute in TFLOPs (1 TFLOPs = 1000 milli-TFLOPs).</summary>
    public double Tflops => MilliTflops / 1000.0;

    public bool IsZero => MilliTflops == 0 && VramBytes == 0;

    public static GpuResources FromTflops(double tflops, long vramBytes) =>
        new((long)Math.Round(tflops * 1000.0, MidpointRounding.AwayFromZero), vramBytes);

    /// <summary>True when both dimensions of this amount are at most those of <paramref name="capacity"/>.</summary>
    public bool FitsWithin(GpuResources capacity) =>
        MilliTflops <= capacity.MilliTflops && VramBytes <= capacity.VramBytes;

    public static GpuResources operator +(GpuResources left, GpuResources right) =>
        new(left.MilliTflops + right.MilliTflops, left.VramBytes + right.VramBytes);

    public static GpuResources operator -(GpuResources left, GpuResources right) =>
        new(left.MilliTflops - right.MilliTflops, left.VramBytes - right.VramBytes);

    public static GpuResources operator *(GpuResources value, int factor) =>
        new(value.MilliTflops * factor, value.VramBytes * factor);

    public GpuResources Add(GpuResources other) => this + other;

    public GpuResources Subtract(GpuResources other) => this - other;

    public GpuResources Multiply(int factor) => this * factor;

    public override string ToString() => $"{Tflops:0.###} TFLOPs / {ByteSize.Format(VramBytes)}";
}
