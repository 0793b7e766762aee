namespace TensorFusion.Host.Recommend;

/// <summary>The samples that parsed and one message per bad row (with its line number).</summary>
public sealed record UsageCsvResult(IReadOnlyList<UsageSample> Samples, IReadOnlyList<string> Errors);
