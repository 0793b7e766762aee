namespace TensorFusion.Gpu.Cluster;

/// <summary>Live accounting for one node: its GPUs, placed workers and the summary figures the placement index uses.</summary>
public sealed class NodeState
{
    private readonly List<WorkerAllocation> _allocations = [];

    internal NodeState(int ordinal, NodeSpec spec, PoolSpec pool)
    {
        Ordinal = ordinal;
        Name = spec.Name;
        Pool = pool;
        Labels = spec.Labels;
        HostMemoryBytes = spec.HostMemoryBytes;
        HostDiskBytes = spec.HostDiskBytes;
    }

    /// <summary>Position in inventory order; the final tie-break between equally scored nodes.</summary>
    public int Ordinal { get; }

    public string Name { get; }

    public PoolSpec Pool { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public long HostMemoryBytes { get; }

    public long HostDiskBytes { get; }

    public IReadOnlyList<GpuState> Gpus { get; internal set; } = [];

    /// <summary>Distinct GPU model names on this node, in name order.</summary>
    public IReadOnlyList<string> Models { get; internal set; } = [];

    public IReadOnlyList<WorkerAllocation> Allocations => _allocations;

    /// <summary>Sum of the GPUs' used scores (upstream's node-level score for packing strategies).</summary>
    public int UsedScoreSum { get; private set; }

    /// <summary>Largest available TFLOPs / VRAM on any schedulable GPU: a quick bound before checking GPUs one by one.</summary>
    public long MaxFreeMilliTflops { get; private set; }

    public long MaxFreeVramBytes { get; private set; }

    /// <summary>The score this node is filed under in the placement index, or -1 when it is not indexed (nothing free).</summary>
    internal int IndexedScore { get; set; } = -1;

    internal void AddAllocation(WorkerAllocation allocation) => _allocations.Add(allocation);

    internal void RemoveAllocation(WorkerAllocation allocation) => _allocations.Remove(allocation);

    internal void RecomputeSummary()
    {
        var sum = 0;
        long maxTflops = 0, maxVram = 0;
        foreach (var gpu in Gpus)
        {
            gpu.RecomputeScore();
            sum += gpu.UsedScore;
            if (gpu.IsSchedulable)
            {
                maxTflops = Math.Max(maxTflops, gpu.Available.MilliTflops);
                maxVram = Math.Max(maxVram, gpu.Available.VramBytes);
            }
        }

        UsedScoreSum = sum;
        MaxFreeMilliTflops = maxTflops;
        MaxFreeVramBytes = maxVram;
    }
}
