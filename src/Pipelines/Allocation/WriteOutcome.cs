namespace TensorFusion.Pipelines.Allocation;

/// <summary>How a write to the API server went: done, the object is gone (nothing to retry), or failed (retry later).</summary>
public enum WriteOutcome
{
    Done,
    Gone,
    Failed,
}
