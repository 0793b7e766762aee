using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// The order a batch is placed in: QoS (critical, high, medium, low), then larger requests first (GPU count, VRAM,
/// compute), then worker id, so the same batch always yields the same decisions whatever order it arrived in.
/// </summary>
public static class BatchOrder
{
    public static IReadOnlyList<AllocationRequest> Sort(IEnumerable<AllocationRequest> batch) =>
        batch.Select(request => (request, id: request.WorkerId))
            .OrderByDescending(pair => pair.request.Qos)
            .ThenByDescending(pair => pair.request.GpuCount)
            .ThenByDescending(pair => pair.request.Isolation == IsolationMode.Shared ? long.MaxValue : pair.request.Request.VramBytes)
            .ThenByDescending(pair => ComputeSize(pair.request))
            .ThenBy(pair => pair.id, StringComparer.Ordinal)
            .Select(pair => pair.request)
            .ToArray();

    /// <summary>Compute percent is ranked as percent × 10 TFLOPs (100 % ≈ a 1000-TFLOPs GPU); only the order matters.</summary>
    private static double ComputeSize(AllocationRequest request) =>
        request.ComputePercentRequest is { } percent ? percent * 10_000 : request.Request.MilliTflops;
}
