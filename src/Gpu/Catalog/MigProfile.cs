namespace TensorFusion.Gpu.Catalog;

/// <summary>
/// One MIG GPU-instance profile. Placement is on the memory-slice axis: an instance of this profile occupies
/// memory slices [start, start + MemorySlices) and <see cref="ComputeSlices"/> of the compute slices.
/// </summary>
/// <param name="Name">NVIDIA profile name, e.g. <c>3g.40gb</c>.</param>
/// <param name="ProfileId">NVML GPU-instance profile id (19 = 1g, 20 = 1g+me, 15 = 1g double memory, 14 = 2g, 9 = 3g, 5 = 4g, 0 = 7g).</param>
/// <param name="ComputeSlices">Compute (SM) slices the instance takes.</param>
/// <param name="MemorySlices">Consecutive memory slices the instance takes.</param>
/// <param name="MemoryBytes">Usable memory of the instance.</param>
/// <param name="ValidStarts">Memory-slice starts the hardware accepts (<c>nvidia-smi mig -lgipp</c>).</param>
/// <param name="MaxCount">Most instances of this profile on one GPU.</param>
/// <param name="AutoSelectable">False for special profiles (media-engine <c>+me</c>) that are only used when named.</param>
public sealed record MigProfile(
    string Name,
    int ProfileId,
    int ComputeSlices,
    int MemorySlices,
    long MemoryBytes,
    IReadOnlyList<int> ValidStarts,
    int MaxCount,
    bool AutoSelectable)
{
    /// <summary>Bit mask of the memory slices an instance starting at <paramref name="start"/> occupies.</summary>
    public int MaskAt(int start) => ((1 << MemorySlices) - 1) << start;
}
