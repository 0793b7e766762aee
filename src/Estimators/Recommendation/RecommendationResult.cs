namespace TensorFusion.Estimators.Recommendation;

/// <summary>What one recommender (or the merged pipeline) concluded.</summary>
/// <remarks>
/// The message is built on first read: a pass over thousands of workloads needs only the numbers, and the explanation
/// (a dozen formatted amounts) is wanted only for the few results that are shown or written to a condition.
/// </remarks>
public sealed record RecommendationResult
{
    private readonly Func<string> _explain;
    private string? _message;

    /// <param name="reason">Why; see <see cref="RecommendationReason"/>.</param>
    /// <param name="message">A sentence for people that explains the numbers.</param>
    /// <param name="resources">The recommended requests/limits; null when nothing is recommended.</param>
    /// <param name="hasApplied">True when the result needs no push (already in effect, or inside the threshold).</param>
    /// <param name="scaleDownLocking">True for an active cron rule: its resources are a floor for the merged result.</param>
    /// <param name="estimates">The percentile estimates behind the numbers, when the percentile recommender ran.</param>
    /// <param name="activeCronRule">The name of the cron rule whose window is open, if any.</param>
    public RecommendationResult(
        RecommendationReason reason,
        string message,
        WorkloadResources? resources,
        bool hasApplied = false,
        bool scaleDownLocking = false,
        ResourceEstimates? estimates = null,
        string? activeCronRule = null)
        : this(reason, () => message, resources, hasApplied, scaleDownLocking, estimates, activeCronRule)
    {
    }

    /// <summary>As the other constructor, with the message produced by <paramref name="explain"/> when first read.</summary>
    public RecommendationResult(
        RecommendationReason reason,
        Func<string> explain,
        WorkloadResources? resources,
        bool hasApplied = false,
        bool scaleDownLocking = false,
        ResourceEstimates? estimates = null,
        string? activeCronRule = null)
    {
        ArgumentNullException.ThrowIfNull(explain);
        Reason = reason;
        _explain = explain;
        Resources = resources;
        HasApplied = hasApplied;
        ScaleDownLocking = scaleDownLocking;
        Estimates = estimates;
        ActiveCronRule = activeCronRule;
    }

    public RecommendationReason Reason { get; init; }

    public string Message => _message ??= _explain();

    public WorkloadResources? Resources { get; init; }

    public bool HasApplied { get; init; }

    public bool ScaleDownLocking { get; init; }

    public ResourceEstimates? Estimates { get; init; }

    public string? ActiveCronRule { get; init; }
}
