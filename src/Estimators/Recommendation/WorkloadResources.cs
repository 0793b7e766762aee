namespace TensorFusion.Estimators.Recommendation;

/// <summary>Requests and limits of one worker, as in the workload's <c>spec.resources</c>.</summary>
public readonly record struct WorkloadResources(ResourceAmount Requests, ResourceAmount Limits)
{
    public bool IsZero => Requests.IsZero && Limits.IsZero;
}
