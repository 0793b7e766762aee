namespace TensorFusion.Estimators.Aggregation;

/// <summary>How usage samples are folded into a <see cref="WorkloadUsageAggregate"/>.</summary>
/// <param name="HalfLife">Decay half-life of both histograms (upstream: historyDataPeriod / 2, so 1 h for the 2 h default).</param>
/// <param name="VramPeakWindow">Each worker contributes one VRAM peak per window of this length (24 h).</param>
public sealed record AggregationOptions(TimeSpan HalfLife, TimeSpan VramPeakWindow)
{
    /// <summary>Weight of one TFLOPs sample (VPA's minSampleWeight).</summary>
    public const double TflopsSampleWeight = 0.1;

    /// <summary>Weight of one VRAM peak.</summary>
    public const double VramPeakWeight = 1.0;

    public static TimeSpan DefaultHistoryDataPeriod { get; } = TimeSpan.FromHours(2);

    public static TimeSpan DefaultVramPeakWindow { get; } = TimeSpan.FromHours(24);

    public static AggregationOptions Default { get; } = ForHistoryPeriod(DefaultHistoryDataPeriod);

    /// <summary>Half-life = history / 2, as upstream recreates its aggregator when historyDataPeriod changes.</summary>
    public static AggregationOptions ForHistoryPeriod(TimeSpan historyDataPeriod) =>
        new(historyDataPeriod / 2, DefaultVramPeakWindow);
}
