using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Workload;

/// <summary>The outcome of a full recommendation pass for one workload; the message is built when first read.</summary>
public sealed record WorkloadRecommendation
{
    private readonly Func<string> _explain;
    private string? _message;

    /// <param name="reason">Why the resources are what they are.</param>
    /// <param name="explain">Produces the message that explains the numbers.</param>
    /// <param name="estimates">Percentile estimates (zeros without data).</param>
    /// <param name="resources">The resources the workload should have: the recommendation, or the current ones when nothing changes.</param>
    /// <param name="shouldApply">True when <paramref name="resources"/> differ from the current resources and should be pushed.</param>
    /// <param name="activeCronRule">The name of the open cron window, if any.</param>
    /// <param name="errors">Configuration problems; when non-empty nothing is applied.</param>
    public WorkloadRecommendation(
        RecommendationReason reason,
        Func<string> explain,
        ResourceEstimates estimates,
        WorkloadResources resources,
        bool shouldApply,
        string? activeCronRule,
        IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(explain);
        Reason = reason;
        _explain = explain;
        Estimates = estimates;
        Resources = resources;
        ShouldApply = shouldApply;
        ActiveCronRule = activeCronRule;
        Errors = errors;
    }

    public RecommendationReason Reason { get; }

    public string Message => _message ??= _explain();

    public ResourceEstimates Estimates { get; }

    public WorkloadResources Resources { get; }

    public bool ShouldApply { get; }

    public string? ActiveCronRule { get; }

    public IReadOnlyList<string> Errors { get; }
}
