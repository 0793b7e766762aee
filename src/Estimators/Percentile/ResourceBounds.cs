namespace TensorFusion.Estimators.Percentile;

/// <summary>The per-resource rules of the percentile recommender: minimum amount and allowed ratios to the spec.</summary>
/// <param name="Name">"TFLOPs" or "VRAM", for messages.</param>
/// <param name="Minimum">Floor of request and limit (1 TFLOPs, 1 GiB).</param>
/// <param name="MinRatio">Lowest allowed multiple of the spec value.</param>
/// <param name="MaxRatio">Highest allowed multiple of the spec value.</param>
/// <param name="LimitNeverBelowSpec">Compute only: never recommend a limit below the spec's limit (no performance downgrade).</param>
internal readonly record struct ResourceBounds(string Name, double Minimum, double MinRatio, double MaxRatio, bool LimitNeverBelowSpec);
