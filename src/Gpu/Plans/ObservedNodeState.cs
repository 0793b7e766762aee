using TensorFusion.Gpu.Devices;

namespace TensorFusion.Gpu.Plans;

/// <summary>What the node has now: its devices, MIG instances and per-worker limiter files.</summary>
public sealed record ObservedNodeState(
    IReadOnlyList<DeviceInfo> Devices,
    IReadOnlyList<ObservedPartition> Partitions,
    IReadOnlyDictionary<string, IReadOnlyList<WorkerLimits>> Limits);
