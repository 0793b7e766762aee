using TensorFusion.Estimators.Histograms;

namespace TensorFusion.Estimators.Aggregation;

/// <summary>
/// A compact copy of a <see cref="WorkloadUsageAggregate"/> for persistence: both histograms as
/// <see cref="HistogramCheckpoint"/>s plus the sample statistics that drive confidence. Per-worker peak windows are not
/// kept (like VPA): after a restore each worker starts a fresh window, which at worst adds one extra peak.
/// </summary>
public sealed record AggregateCheckpoint(
    int Version,
    HistogramCheckpoint Tflops,
    HistogramCheckpoint Vram,
    long TotalSamplesCount,
    DateTimeOffset? FirstSampleStart,
    DateTimeOffset? LastSampleStart)
{
    /// <summary>Bump when the bucket layout or weighting changes: older checkpoints are then refused.</summary>
    public const int CurrentVersion = 1;
}
