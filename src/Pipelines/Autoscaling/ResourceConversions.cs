using System.Globalization;
using k8s.Models;
using TensorFusion.Api.Resources;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Converts between the API's quantities and the estimators' numbers. TFLOPs are kept in milli units and VRAM in whole
/// bytes, the resolution the allocator and the pod annotations use, so a recommendation written to status and read back
/// is exactly the one the workers carry.
/// </summary>
public static class ResourceConversions
{
    public static WorkloadResources ToResources(GpuResourceRequirements? resources) =>
        new(ToAmount(resources?.Requests), ToAmount(resources?.Limits));

    public static ResourceAmount ToAmount(GpuResourceAmount? amount) =>
        new(Number(amount?.Tflops), Number(amount?.Vram));

    /// <summary>Rounds to milli-TFLOPs and whole bytes.</summary>
    public static WorkloadResources Rounded(WorkloadResources resources) =>
        new(Rounded(resources.Requests), Rounded(resources.Limits));

    public static GpuResourceRequirements ToRequirements(WorkloadResources resources) => new()
    {
        Requests = ToQuantities(resources.Requests),
        Limits = resources.Limits.IsZero ? null : ToQuantities(resources.Limits),
    };

    /// <summary>A per-GPU allocation amount; a zero limit means "the request".</summary>
    public static GpuResources ToGpu(ResourceAmount amount) =>
        new((long)Math.Round(amount.Tflops * 1000, MidpointRounding.AwayFromZero), (long)Math.Round(amount.VramBytes));

    private static GpuResourceAmount? ToQuantities(ResourceAmount amount)
    {
        if (amount.IsZero)
        {
            return null;
        }

        var milli = (long)Math.Round(amount.Tflops * 1000, MidpointRounding.AwayFromZero);
        var bytes = (long)Math.Round(amount.VramBytes);
        return new GpuResourceAmount
        {
            Tflops = milli == 0 ? null : new ResourceQuantity(milli % 1000 == 0
                ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
                : milli.ToString(CultureInfo.InvariantCulture) + "m"),
            Vram = bytes == 0 ? null : new ResourceQuantity(bytes.ToString(CultureInfo.InvariantCulture)),
        };
    }

    private static ResourceAmount Rounded(ResourceAmount amount) =>
        new(Math.Round(amount.Tflops * 1000, MidpointRounding.AwayFromZero) / 1000, Math.Round(amount.VramBytes));

    private static double Number(ResourceQuantity? quantity) => quantity is null ? 0 : (double)quantity.ToDecimal();
}
