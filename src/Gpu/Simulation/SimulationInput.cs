using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Simulation;

/// <summary>
/// Everything a what-if run needs, already mapped onto the allocator's records. <c>BatchSize</c> is the number of
/// requests per allocator batch, in input order; 0 places everything in one batch.
/// </summary>
public sealed record SimulationInput(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<PoolSpec> Pools,
    IReadOnlyList<GpuResourceQuota> Quotas,
    IReadOnlyList<AllocationRequest> Requests,
    GpuModelCatalog Catalog,
    int BatchSize = 0);
