using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>The outcome of an in-place resize: the new allocation, or why the old one was kept.</summary>
public sealed record ResizeResult(bool Succeeded, WorkerAllocation? Allocation, string? Error)
{
    public static ResizeResult Failed(WorkerAllocation? kept, string error) => new(false, kept, error);
}
