using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Catalog;

/// <summary>A GPU model as the allocator sees it: capacity in dense FP16 TFLOPs and VRAM, vendor, price and MIG shape.</summary>
public sealed record GpuModel(
    string Name,
    string Vendor,
    double Fp16Tflops,
    long VramBytes,
    double CostPerHour,
    IReadOnlyList<string> Aliases,
    MigGeometry? Mig)
{
    public GpuResources Capacity => GpuResources.FromTflops(Fp16Tflops, VramBytes);
}
