namespace TensorFusion.Estimators.Options;

/// <summary>
/// The user's <c>autoScalingConfig.autoSetResources</c> exactly as written: every number and period is a string (as in the
/// upstream CRD), null or empty meaning "use the default". <see cref="PercentileOptions.Parse"/> turns it into numbers.
/// </summary>
public sealed record AutoSetResourcesSettings
{
    public bool Enable { get; init; }

    public string? TargetResource { get; init; }

    public string? TargetComputePercentile { get; init; }

    public string? LowerBoundComputePercentile { get; init; }

    public string? UpperBoundComputePercentile { get; init; }

    public string? TargetVramPercentile { get; init; }

    public string? LowerBoundVramPercentile { get; init; }

    public string? UpperBoundVramPercentile { get; init; }

    public string? MarginFraction { get; init; }

    public string? UpdateThreshold { get; init; }

    public string? HistoryDataPeriod { get; init; }

    public string? MinVramResourcesRatio { get; init; }

    public string? MaxVramResourcesRatio { get; init; }

    public string? MinComputeResourcesRatio { get; init; }

    public string? MaxComputeResourcesRatio { get; init; }

    public string? InitialDelayPeriod { get; init; }

    public string? Interval { get; init; }

    /// <summary>Beyond upstream: when set, lower/upper bounds are widened VPA-style for young workloads.</summary>
    public string? ConfidenceInterval { get; init; }
}
