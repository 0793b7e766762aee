namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>One sample of the Prometheus text format: name, labels, value (NaN and ±Inf kept as read).</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
