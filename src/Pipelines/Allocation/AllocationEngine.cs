using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// The allocator's state between batches: the batch allocator over the current inventory (plan generations come from
/// the dispatcher's <see cref="Agents.PlanGenerations"/>, shared with the re-read after an agent's refusal). Not
/// thread-safe; the pipeline calls it from its single decision stage (or under its gate).
/// </summary>
public sealed class AllocationEngine(GpuModelCatalog catalog)
{
    public BatchAllocator Allocator { get; private set; } = new(new ClusterState([], [], catalog));

    public AllocationInventory Inventory { get; private set; } = AllocationInventory.Empty;

    public ClusterState State => Allocator.State;

    /// <summary>
    /// Rebuilds state from the allocations recorded on pods. Every conflict (two workers over a GPU's capacity,
    /// overlapping MIG slices, a GPU that no longer exists) is returned, never hidden.
    /// </summary>
    public RebuildResult Rebuild(AllocationInventory inventory, IEnumerable<WorkerAllocation> recorded)
    {
        var result = ClusterState.Rebuild(inventory.Nodes, inventory.Pools, catalog, recorded);
        Allocator = new BatchAllocator(result.State, new QuotaLedger(inventory.Quotas));
        Inventory = inventory;
        return result;
    }

    /// <summary>Takes a new inventory (GPU, node, pool or quota change), keeping every current allocation.</summary>
    public RebuildResult UpdateInventory(AllocationInventory inventory) =>
        Rebuild(inventory, [.. State.Allocations.Values]);
}
