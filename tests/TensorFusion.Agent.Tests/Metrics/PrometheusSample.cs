namespace TensorFusion.Agent.Tests.Metrics;

/// <summary>One parsed sample line.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
