using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// What the allocator places against: nodes with their GPUs, pool settings and namespace quotas, and each GPU object's
/// device UUID (plans name devices by UUID, the allocator by GPU object name; a GPU missing here is planned by name), and
/// each pool's <c>qosConfig.defaultQoS</c> for workers that name no QoS.
/// </summary>
public sealed record AllocationInventory(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<PoolSpec> Pools,
    IReadOnlyList<GpuResourceQuota> Quotas,
    IReadOnlyDictionary<string, string>? DeviceUuids = null,
    IReadOnlyDictionary<string, QosLevel>? DefaultQos = null)
{
    /// <summary>The pool's default QoS; null when the pool sets none (then upstream's medium applies).</summary>
    public QosLevel? DefaultQosOf(string pool) => DefaultQos?.TryGetValue(pool, out var qos) == true ? qos : null;

    /// <summary>The device UUID of a GPU object (its name when unknown).</summary>
    public string DeviceUuid(string gpu) => DeviceUuids?.GetValueOrDefault(gpu) ?? gpu;

    public static AllocationInventory Empty { get; } = new([], [], []);
}
