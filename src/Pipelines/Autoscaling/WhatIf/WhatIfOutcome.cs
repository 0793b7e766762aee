using TensorFusion.Estimators.Workload;

namespace TensorFusion.Pipelines.Autoscaling.WhatIf;

/// <summary>The what-if's recommendation plus the facts needed to read it.</summary>
/// <param name="Recommendation">The full pass's result.</param>
/// <param name="Now">The evaluation time used.</param>
/// <param name="CreationTime">The creation time used (the first sample's when the manifest has none).</param>
/// <param name="SamplesUsed">Rows at or before <paramref name="Now"/>.</param>
/// <param name="SamplesAfterNow">Rows left out because they lie after <paramref name="Now"/>.</param>
/// <param name="Workers">Distinct workers seen.</param>
public sealed record WhatIfOutcome(
    WorkloadRecommendation Recommendation,
    DateTimeOffset Now,
    DateTimeOffset CreationTime,
    int SamplesUsed,
    int SamplesAfterNow,
    int Workers);
