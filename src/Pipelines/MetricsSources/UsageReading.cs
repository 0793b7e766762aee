namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>What a metrics source returned for one read: the samples, or why it could not read (then Samples is empty).</summary>
public sealed record UsageReading(IReadOnlyList<UsageSample> Samples, string? Error)
{
    public bool SourceDown => Error is not null;

    public static UsageReading Down(string error) => new([], error);
}
