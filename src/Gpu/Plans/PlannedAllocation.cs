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
    public string WorkerKey() => KeyOf(Namespace, Worker);

    /// <summary>The key of worker <paramref name="worker"/> in <paramref name="namespace"/>, as <see cref="WorkerKey"/> builds it.</summary>
    public static string KeyOf(string @namespace, string worker) => $"{@namespace}_{worker}";
}
