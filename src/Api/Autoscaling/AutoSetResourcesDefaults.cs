namespace TensorFusion.Api.Autoscaling;

/// <summary>
/// The values unset <see cref="AutoSetResources"/> fields take. These are upstream's coded defaults, which differ
/// from its documented ones (docs say 0.9/0.5/0.95 for the percentiles); the coded ones win.
/// </summary>
public static class AutoSetResourcesDefaults
{
    public const double TargetComputePercentile = 0.95;
    public const double LowerBoundComputePercentile = 0.5;
    public const double UpperBoundComputePercentile = 0.99;
    public const double TargetVramPercentile = 0.98;
    public const double LowerBoundVramPercentile = 0.5;
    public const double UpperBoundVramPercentile = 0.99;
    public const double MarginFraction = 0.15;
    public const double UpdateThreshold = 0.1;
    public const double MinVramResourcesRatio = 0.2;
    public const double MaxVramResourcesRatio = 5.0;
    public const double MinComputeResourcesRatio = 0.1;
    public const double MaxComputeResourcesRatio = 10.0;

    public static readonly TimeSpan HistoryDataPeriod = TimeSpan.FromHours(2);
    public static readonly TimeSpan MaxHistoryDataPeriod = TimeSpan.FromDays(30);
    public static readonly TimeSpan InitialDelayPeriod = TimeSpan.FromMinutes(30);
}
