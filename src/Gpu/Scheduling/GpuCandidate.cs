using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>A GPU that passed every filter, with the share the worker would take on it.</summary>
internal readonly record struct GpuCandidate(GpuState Gpu, GpuResources Request, GpuResources Limit, MigPlacement? Partition)
{
    public GpuShare ToShare() => new(Gpu.Name, Request, Limit, Partition);
}
