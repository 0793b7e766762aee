using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.External;

/// <summary>An external scaler's answer (upstream's <c>ExternalScalerResponse</c>).</summary>
/// <param name="NeedScaleUp">The scaler wants more resources.</param>
/// <param name="NeedScaleDown">The scaler wants fewer resources.</param>
/// <param name="Reason">Free text; becomes the result's message (and upstream uses it as the condition reason).</param>
/// <param name="RecommendedResources">The resources to move to, when a scale is needed.</param>
public sealed record ExternalScalerResponse(bool NeedScaleUp, bool NeedScaleDown, string? Reason, WorkloadResources? RecommendedResources);
