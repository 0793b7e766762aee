namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>One series of a Prometheus range query: its labels and (time, value) points, NaN kept as read.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Points);
