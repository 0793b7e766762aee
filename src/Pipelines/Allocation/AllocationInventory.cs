using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// What the allocator places against: nodes with their GPUs, pool settings and namespace quotas, and each GPU object's
/// device UUID (plans name devices by UUID, the allocator by GPU object name; a GPU missing here is planned by name).
/// </summary>
public sealed record AllocationInventory(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<PoolSpec> Pools,
    IReadOnlyList<GpuResourceQuota> Quotas,
    IReadOnlyDictionary<string, string>? DeviceUuids = null)
{
    /// <summary>The device UUID of a GPU object (its name when unknown).</summary>
    public string DeviceUuid(string gpu) => DeviceUuids?.GetValueOrDefault(gpu) ?? gpu;

    public static AllocationInventory Empty { get; } = new([], [], []);
}
