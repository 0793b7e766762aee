namespace TensorFusion.Pipelines.Allocation;

/// <summary>How an in-place resize went: how many workers now carry the new resources, or why none do.</summary>
public sealed record ResizeOutcome(int ResizedWorkers, string? Error)
{
    public bool Succeeded => Error is null;
}
