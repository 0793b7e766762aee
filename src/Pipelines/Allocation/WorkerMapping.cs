using TensorFusion.Gpu.Requests;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>A worker pod read into an allocation request, or the reason it cannot be (naming the annotation or label).</summary>
public sealed record WorkerMapping(AllocationRequest? Request, string? Error)
{
    public static WorkerMapping Ok(AllocationRequest request) => new(request, null);

    public static WorkerMapping Invalid(string error) => new(null, error);
}
