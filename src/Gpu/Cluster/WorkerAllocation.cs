using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Cluster;

/// <summary>A placed worker, as recorded on its pod: the request it came from, the node, and one share per GPU.</summary>
public sealed record WorkerAllocation(AllocationRequest Request, string Node, IReadOnlyList<GpuShare> Shares, DateTimeOffset AllocatedAt)
{
    public string WorkerId => Request.WorkerId;

    public QosLevel Qos => Request.Qos;

    /// <summary>Until when this worker may not be preempted.</summary>
    public DateTimeOffset ProtectedUntil => AllocatedAt + Request.EvictionProtection;

    /// <summary>Total VRAM this worker holds across its GPUs (used to prefer evicting fewer, larger victims).</summary>
    public long TotalVramBytes => Shares.Sum(share => share.Request.VramBytes);
}
