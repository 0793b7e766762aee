namespace TensorFusion.Host.Tests.Agent.Metrics;

/// <summary>One parsed sample line.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
