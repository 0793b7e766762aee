using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>A pool's totals over its nodes (GPUPool status and the pool gauges).</summary>
public sealed record PoolCapacity(
    string Name, GpuResources Total, GpuResources Virtual, GpuResources Available, int Nodes, int ReadyNodes, int Gpus, int Workers)
{
    public GpuResources Allocated => Total - Available;
}
