using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Plans;

/// <summary>One worker's share of this node's GPUs. <see cref="Worker"/> is the worker pod's name.</summary>
public sealed record PlannedAllocation(
    string Namespace,
    string Workload,
    string Worker,
    IsolationMode Isolation,
    IReadOnlyList<PlannedDeviceShare> Devices)
{
    /// <summary>The key the agent files limits under: "namespace_worker" (DNS names never contain '_').</summary>
    public string WorkerKey() => $"{Namespace}_{Worker}";
}
