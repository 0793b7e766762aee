using TensorFusion.Estimators.Merging;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// The scale-up cap's input read from the allocator's state: for every GPU holding the workload's workers, what is still
/// available there and what this workload's workers hold there (docs/autoscaling.md §9).
/// </summary>
public static class WorkloadHeadroom
{
    public static IReadOnlyList<GpuHeadroom> From(ClusterState state, string workloadNamespace, string workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        var byGpu = new Dictionary<string, (long MilliTflops, long VramBytes, int Workers)>(StringComparer.Ordinal);
        foreach (var allocation in state.Allocations.Values)
        {
            if (allocation.Request.Namespace != workloadNamespace || allocation.Request.Workload != workload)
            {
                continue;
            }

            foreach (var share in allocation.Shares)
            {
                var held = byGpu.GetValueOrDefault(share.Gpu);
                byGpu[share.Gpu] = (held.MilliTflops + share.Request.MilliTflops, held.VramBytes + share.Request.VramBytes, held.Workers + 1);
            }
        }

        var headroom = new List<GpuHeadroom>(byGpu.Count);
        foreach (var (gpu, held) in byGpu)
        {
            if (state.FindGpu(gpu) is { } found)
            {
                headroom.Add(new GpuHeadroom(found.Available.MilliTflops / 1000.0, found.Available.VramBytes, held.MilliTflops / 1000.0, held.VramBytes, held.Workers));
            }
        }

        return headroom;
    }
}
