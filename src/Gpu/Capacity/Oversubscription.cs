namespace TensorFusion.Gpu.Capacity;

/// <summary>
/// A pool's oversubscription ratios (GPUPool <c>capacityConfig.oversubscription</c>): how far the sum of worker
/// <em>limits</em> may exceed physical capacity. Requests never oversubscribe.
/// </summary>
/// <param name="TflopsOversellPercent">Virtual TFLOPs = capacity × percent / 100 (upstream default 500).</param>
/// <param name="VramExpandToHostMemPercent">Share of host RAM that may back VRAM limits (default 50).</param>
/// <param name="VramExpandToHostDiskPercent">Share of host disk that may back VRAM limits (default 70).</param>
public sealed record Oversubscription(
    int TflopsOversellPercent = 500,
    int VramExpandToHostMemPercent = 50,
    int VramExpandToHostDiskPercent = 70)
{
    public static Oversubscription Default { get; } = new();

    /// <summary>
    /// Virtual capacity of one GPU: TFLOPs scaled by the oversell ratio; VRAM plus this GPU's even share of the node's
    /// host memory and disk expansion (upstream computes the expansion per node; we split it evenly over the node's GPUs).
    /// </summary>
    /// <example>H100 (989 TFLOPs, 80Gi) on a node with 8 GPUs, 1Ti RAM, no disk, default ratios:
    /// TFLOPs 989 × 500 / 100 = 4945; VRAM 80Gi + 1024Gi × 50 / 100 / 8 = 144Gi.</example>
    public GpuResources VirtualCapacity(GpuResources capacity, long hostMemoryBytes, long hostDiskBytes, int gpusOnNode)
    {
        var perGpu = Math.Max(1, gpusOnNode);
        var expansion = ((hostMemoryBytes / 100 * VramExpandToHostMemPercent) + (hostDiskBytes / 100 * VramExpandToHostDiskPercent)) / perGpu;
        return new GpuResources(capacity.MilliTflops * TflopsOversellPercent / 100, capacity.VramBytes + expansion);
    }
}
