using TensorFusion.Estimators.External;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>The scaler's response, or why there is none (unreachable, timeout, non-200, unreadable, missing Secret).</summary>
public sealed record ExternalScalerAnswer(ExternalScalerResponse? Response, string? Error);
