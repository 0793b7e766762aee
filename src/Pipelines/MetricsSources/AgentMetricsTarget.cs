namespace TensorFusion.Pipelines.MetricsSources;

/// <summary>One agent's <c>/metrics</c> URL and the node it serves (the TLS server name its certificate must carry; null when unknown).</summary>
public sealed record AgentMetricsTarget(Uri Address, string? Node = null);
