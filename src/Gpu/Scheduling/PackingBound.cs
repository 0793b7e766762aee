using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Packing;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>How tightly a placement packs: GPUs in use against a proven lower bound for the same shares.</summary>
public static class PackingBound
{
    /// <summary>
    /// A lower bound on the GPUs needed to hold the placed shares on GPUs of the models they were placed on. Each model
    /// splits into MIG GPUs and fractional GPUs (a GPU is never both), so the bound is a sum over (model, kind) groups.
    /// Fractional and whole-GPU shares are items of (TFLOPs, VRAM) in a bin of the model's capacity; MIG instances are
    /// items of (compute slices, memory slices) in a bin of the geometry's slices. Per group the larger of the volume
    /// bound and the configuration-LP bound (<see cref="VectorBinBound"/>) is taken. Constraints the bound ignores (one
    /// node per worker, distinct GPUs per worker, MIG start positions) only make the true optimum larger.
    /// </summary>
    /// <example>
    /// 16 singles of 700 TFLOPs / 40 GiB and 16 shares of 100 TFLOPs / 20 GiB on H100 (989 TFLOPs, 80 GiB): volume says
    /// max(12 800/989, 960/80) = ⌈12.94⌉ = 13 GPUs, but no two singles share a GPU, so the configuration LP proves 16
    /// (each single's GPU keeps room for two shares: 289 TFLOPs, 40 GiB, so the 16 shares need no more GPUs).
    /// </example>
    public static PackingLowerBound Compute(ClusterState state, IEnumerable<WorkerAllocation> allocations)
    {
        var groups = new Dictionary<(string Model, bool Mig), (long CapacityA, long CapacityB, Dictionary<(long, long), int> Items)>();
        foreach (var share in allocations.SelectMany(allocation => allocation.Shares))
        {
            if (state.FindGpu(share.Gpu) is not { } gpu)
            {
                continue;
            }

            var geometry = gpu.Model.Mig;
            var profile = share.Partition is { } partition ? geometry?.FindProfile(partition.Profile) : null;
            var key = (gpu.Model.Name, profile is not null);
            if (!groups.TryGetValue(key, out var group))
            {
                group = profile is not null
                    ? (geometry!.ComputeSlices, geometry.MemorySlices, [])
                    : (gpu.Capacity.MilliTflops, gpu.Capacity.VramBytes, []);
                groups[key] = group;
            }

            var size = profile is not null
                ? ((long)profile.ComputeSlices, (long)profile.MemorySlices)
                : (Math.Min(share.Request.MilliTflops, group.CapacityA), Math.Min(share.Request.VramBytes, group.CapacityB));
            group.Items[size] = group.Items.GetValueOrDefault(size) + 1;
        }

        int total = 0, volume = 0;
        foreach (var group in groups.Values)
        {
            var items = group.Items.Select(pair => new ItemType(pair.Key.Item1, pair.Key.Item2, pair.Value)).ToList();
            var groupVolume = VectorBinBound.Volume(items, group.CapacityA, group.CapacityB);
            volume += groupVolume;
            total += Math.Max(groupVolume, VectorBinBound.ConfigurationLp(items, group.CapacityA, group.CapacityB));
        }

        return new PackingLowerBound(total, volume, total > volume ? PackingLowerBound.ConfigurationLp : PackingLowerBound.Volume);
    }

    /// <summary>The bound's GPU count (<see cref="Compute"/>).</summary>
    public static int LowerBoundGpus(ClusterState state, IEnumerable<WorkerAllocation> allocations) => Compute(state, allocations).Gpus;

    /// <summary>GPUs holding at least one share.</summary>
    public static int GpusUsed(ClusterState state) => state.Gpus.Count(gpu => gpu.Workers.Count > 0);
}
