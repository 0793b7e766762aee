using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>What the allocator places against: nodes with their GPUs, pool settings and namespace quotas.</summary>
public sealed record AllocationInventory(IReadOnlyList<NodeSpec> Nodes, IReadOnlyList<PoolSpec> Pools, IReadOnlyList<GpuResourceQuota> Quotas)
{
    public static AllocationInventory Empty { get; } = new([], [], []);
}
