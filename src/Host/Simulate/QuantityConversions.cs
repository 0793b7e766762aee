using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Host.Simulate;

/// <summary>Converts API quantities (<c>"10"</c>, <c>"500m"</c> TFLOPs; <c>"16Gi"</c> VRAM) into the allocator's units.</summary>
public static class QuantityConversions
{
    public static GpuResources ToResources(GpuResourceAmount? amount) =>
        amount is null ? GpuResources.Zero : GpuResources.FromTflops(Tflops(amount.Tflops), Bytes(amount.Vram));

    public static double Tflops(ResourceQuantity? quantity) => quantity is null ? 0 : (double)quantity.ToDecimal();

    public static long Bytes(ResourceQuantity? quantity) => quantity is null ? 0 : quantity.ToInt64();

    public static double? Percent(ResourceQuantity? quantity) => quantity is null ? null : (double)quantity.ToDecimal();
}
