using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>One GPU's status as the allocator sees it: capacity, what is left, and which workloads run on it.</summary>
public sealed record GpuCapacity(
    string Name, string Node, string Pool, GpuResources Capacity, GpuResources Available, IReadOnlyList<RunningWorkload> RunningApps);
