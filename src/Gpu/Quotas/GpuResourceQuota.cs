using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Quotas;

/// <summary>
/// A namespace's GPUResourceQuota: totals over all its workers (requests and limits × GPU count, worker count) and
/// per-worker ceilings (per-GPU request and limit, GPU count). Null means unlimited.
/// </summary>
public sealed record GpuResourceQuota(string Namespace)
{
    public GpuResources? TotalRequests { get; init; }

    public GpuResources? TotalLimits { get; init; }

    public int? MaxWorkers { get; init; }

    public GpuResources? SingleMaxRequests { get; init; }

    public GpuResources? SingleMaxLimits { get; init; }

    public int? SingleMaxGpuCount { get; init; }
}
