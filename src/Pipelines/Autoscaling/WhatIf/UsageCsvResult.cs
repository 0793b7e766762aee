namespace TensorFusion.Pipelines.Autoscaling.WhatIf;

/// <summary>The samples that parsed and one message per bad row (with its line number).</summary>
public sealed record UsageCsvResult(IReadOnlyList<UsageCsvRow> Samples, IReadOnlyList<string> Errors);
