using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Quotas;

/// <summary>What a namespace's placed workers hold: requests and limits summed over their GPUs, and the worker count.</summary>
public sealed record QuotaUsage(GpuResources Requests, GpuResources Limits, int Workers)
{
    public static QuotaUsage None { get; } = new(GpuResources.Zero, GpuResources.Zero, 0);
}
