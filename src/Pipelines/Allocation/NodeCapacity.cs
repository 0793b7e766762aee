using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>A node's totals: physical and virtual (oversubscribed) capacity, what is left, GPUs and placed workers.</summary>
public sealed record NodeCapacity(
    string Name, string Pool, GpuResources Total, GpuResources Virtual, GpuResources Available, int Gpus, int Workers, bool Ready);
