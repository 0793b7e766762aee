using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>An in-place resize of every placed worker of a workload; <see cref="Done"/> completes with its outcome.</summary>
internal sealed record ResizeWork(string Namespace, string Workload, GpuResources Request, GpuResources Limit) : DecisionWork
{
    public TaskCompletionSource<ResizeOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
