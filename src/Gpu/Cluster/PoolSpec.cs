using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Gpu.Cluster;

/// <summary>A pool's allocation settings: placement strategy (from its SchedulingConfigTemplate), oversubscription, worker cap.</summary>
public sealed record PoolSpec(
    string Name,
    PlacementStrategy Strategy = PlacementStrategy.NodeCompactGpuLowLoad,
    Oversubscription? Oversubscription = null,
    int MaxWorkersPerNode = 256)
{
    public Oversubscription Ratios => Oversubscription ?? Capacity.Oversubscription.Default;
}
