using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>How many GPUs a set of placements needs at the very least, to judge how tightly they were packed.</summary>
public static class PackingBound
{
    /// <summary>
    /// Per GPU model: the larger of Σ TFLOPs / one GPU's TFLOPs and Σ VRAM / one GPU's VRAM over the shares placed on that
    /// model, rounded up; summed over models.
    /// </summary>
    /// <example>Ten 20 GiB / 100 TFLOPs shares on H100 (80 GiB, 989 TFLOPs): max(200/80, 1000/989) = 2.5 → 3 GPUs.</example>
    public static int LowerBoundGpus(ClusterState state, IEnumerable<WorkerAllocation> allocations)
    {
        var totals = new Dictionary<string, (long Milli, long Vram, long CapacityMilli, long CapacityVram)>(StringComparer.Ordinal);
        foreach (var share in allocations.SelectMany(allocation => allocation.Shares))
        {
            if (state.FindGpu(share.Gpu) is not { } gpu)
            {
                continue;
            }

            var sum = totals.GetValueOrDefault(gpu.Model.Name, (0, 0, gpu.Capacity.MilliTflops, gpu.Capacity.VramBytes));
            totals[gpu.Model.Name] = (sum.Milli + share.Request.MilliTflops, sum.Vram + share.Request.VramBytes, sum.CapacityMilli, sum.CapacityVram);
        }

        return totals.Values.Sum(total => (int)Math.Max(
            Math.Ceiling(total.Milli / (double)total.CapacityMilli),
            Math.Ceiling(total.Vram / (double)total.CapacityVram)));
    }

    /// <summary>GPUs holding at least one share.</summary>
    public static int GpusUsed(ClusterState state) => state.Gpus.Count(gpu => gpu.Workers.Count > 0);
}
