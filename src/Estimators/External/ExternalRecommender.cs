using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.External;

/// <summary>Turns an external scaler's response into a <see cref="RecommendationResult"/>.</summary>
/// <remarks>
/// Before creation + the scaler's initial delay the answer is LowConfidence (and the caller should not even call out).
/// "No scale up and no scale down" is NoScalingNeeded with the scaler's reason as the message; otherwise the scaler's
/// resources are recommended (reason Updated, the scaler's text kept in the message).
/// </remarks>
public static class ExternalRecommender
{
    public static TimeSpan DefaultInitialDelay { get; } = TimeSpan.FromMinutes(30);

    /// <summary>True when the external scaler may be asked at <paramref name="now"/>.</summary>
    public static bool IsPastInitialDelay(DateTimeOffset creationTime, TimeSpan initialDelay, DateTimeOffset now) =>
        now >= creationTime + initialDelay;

    public static RecommendationResult Interpret(ExternalScalerResponse? response, DateTimeOffset creationTime, TimeSpan initialDelay, DateTimeOffset now)
    {
        if (!IsPastInitialDelay(creationTime, initialDelay, now) || response is null)
        {
            return new RecommendationResult(
                RecommendationReason.LowConfidence,
                $"external scaler waits for its initial delay of {GoDuration.Format(initialDelay)}",
                null,
                hasApplied: true);
        }

        if (!response.NeedScaleUp && !response.NeedScaleDown || response.RecommendedResources is not { IsZero: false } resources)
        {
            return new RecommendationResult(
                RecommendationReason.NoScalingNeeded,
                string.IsNullOrWhiteSpace(response.Reason) ? "external scaler: no scaling needed" : $"external scaler: {response.Reason}",
                null,
                hasApplied: true);
        }

        var direction = response.NeedScaleUp ? "up" : "down";
        return new RecommendationResult(
            RecommendationReason.Updated,
            $"external scaler asks to scale {direction}" + (string.IsNullOrWhiteSpace(response.Reason) ? "" : $": {response.Reason}"),
            resources);
    }
}
