using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Status aggregates for the GPUs and nodes a batch touched and for the pools they belong to.</summary>
public sealed record CapacityReport(IReadOnlyList<GpuCapacity> Gpus, IReadOnlyList<NodeCapacity> Nodes, IReadOnlyList<PoolCapacity> Pools)
{
    /// <summary>
    /// Builds the report for <paramref name="nodes"/> (all nodes when null). A node is ready when at least one of its
    /// GPUs is schedulable. Pool totals always cover every node of the pool.
    /// </summary>
    public static CapacityReport Build(ClusterState state, IReadOnlyCollection<string>? nodes = null)
    {
        var selected = nodes is null
            ? state.Nodes
            : [.. nodes.Select(state.FindNode).OfType<NodeState>()];
        var gpus = new List<GpuCapacity>();
        var nodeReports = new List<NodeCapacity>();
        foreach (var node in selected)
        {
            foreach (var gpu in node.Gpus)
            {
                var apps = node.Allocations
                    .Where(allocation => allocation.Shares.Any(share => share.Gpu == gpu.Name))
                    .GroupBy(allocation => (allocation.Request.Namespace, allocation.Request.Workload))
                    .OrderBy(group => group.Key.Namespace, StringComparer.Ordinal).ThenBy(group => group.Key.Workload, StringComparer.Ordinal)
                    .Select(group => new RunningWorkload(group.Key.Namespace, group.Key.Workload, group.Count()))
                    .ToArray();
                gpus.Add(new GpuCapacity(gpu.Name, node.Name, node.Pool.Name, gpu.Capacity, gpu.Available, apps));
            }

            nodeReports.Add(Summarise(node));
        }

        var pools = selected.Select(node => node.Pool.Name).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(pool => SummarisePool(pool, state.NodesIn(pool).Select(Summarise).ToArray()))
            .ToArray();
        return new CapacityReport(gpus, nodeReports, pools);
    }

    private static NodeCapacity Summarise(NodeState node)
    {
        var total = GpuResources.Zero;
        var virtualTotal = GpuResources.Zero;
        var available = GpuResources.Zero;
        foreach (var gpu in node.Gpus)
        {
            total += gpu.Capacity;
            virtualTotal += gpu.VirtualCapacity;
            available += gpu.Available;
        }

        return new NodeCapacity(node.Name, node.Pool.Name, total, virtualTotal, available, node.Gpus.Count, node.Allocations.Count,
            node.Gpus.Any(gpu => gpu.IsSchedulable));
    }

    private static PoolCapacity SummarisePool(string pool, NodeCapacity[] nodes) => new(
        pool,
        nodes.Aggregate(GpuResources.Zero, (sum, node) => sum + node.Total),
        nodes.Aggregate(GpuResources.Zero, (sum, node) => sum + node.Virtual),
        nodes.Aggregate(GpuResources.Zero, (sum, node) => sum + node.Available),
        nodes.Length,
        nodes.Count(node => node.Ready),
        nodes.Sum(node => node.Gpus),
        nodes.Sum(node => node.Workers));
}
