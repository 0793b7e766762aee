using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.Estimators.Percentile;

/// <summary>Applies QoS choice, floor, ratio clamps and the compute-limit rule to one resource, explaining each step.</summary>
internal sealed class ResourceResolver(
    ResourceBounds bounds,
    Func<double, string> format,
    (double Lower, double Target, double Upper) percentiles,
    double margin)
{
    /// <summary>The outcome; <see cref="Explanation"/> is only filled when asked for, since formatting dominates the cost.</summary>
    public readonly record struct Resolution(double Request, double Limit, string? Explanation);

    public Resolution Resolve(
        EstimateRange estimate, bool noSamples, QosLevel qos, double specRequest, double specLimit, double currentRequest, double currentLimit,
        bool explain)
    {
        if (noSamples)
        {
            return new Resolution(currentRequest, currentLimit,
                explain ? $"{bounds.Name}: no samples, keeping request {format(currentRequest)} and limit {format(currentLimit)}" : null);
        }

        var (request, source) = qos switch
        {
            QosLevel.Critical => (estimate.UpperBound, "upper bound (QoS critical)"),
            QosLevel.High => (estimate.Target, "target (QoS high)"),
            QosLevel.Medium => (estimate.LowerBound, "lower bound (QoS medium)"),
            _ => (estimate.LowerBound, "lower bound (QoS low)"),
        };
        var limit = estimate.UpperBound;
        var notes = explain ? new List<string>() : null;

        if (request < bounds.Minimum || limit < bounds.Minimum)
        {
            notes?.Add($"raised to the minimum {format(bounds.Minimum)}");
            request = Math.Max(request, bounds.Minimum);
            limit = Math.Max(limit, bounds.Minimum);
        }

        request = Clamp(request, specRequest, "request", notes);
        limit = Clamp(limit, specLimit, "limit", notes);
        if (bounds.LimitNeverBelowSpec && limit < specLimit)
        {
            notes?.Add($"limit kept at the spec limit {format(specLimit)}");
            limit = specLimit;
        }

        if (limit < request)
        {
            notes?.Add("limit raised to the request");
            limit = request;
        }

        if (notes is null)
        {
            return new Resolution(request, limit, null);
        }

        var change = currentRequest > 0 ? $", {Signed((request - currentRequest) / currentRequest)} vs current {format(currentRequest)}" : "";
        var text = $"{bounds.Name}: estimates {format(estimate.LowerBound)} / {format(estimate.Target)} / {format(estimate.UpperBound)} " +
            $"(p{P(percentiles.Lower)} / p{P(percentiles.Target)} / p{P(percentiles.Upper)} × {ResourceText.Number(1 + margin)}); " +
            $"request {format(request)} = {source}{change}; limit {format(limit)} = upper bound" +
            (notes.Count > 0 ? "; " + string.Join("; ", notes) : "");
        return new Resolution(request, limit, text);
    }

    private double Clamp(double value, double spec, string what, List<string>? notes)
    {
        var low = spec * bounds.MinRatio;
        var high = spec * bounds.MaxRatio;
        if (low > 0 && value < low)
        {
            notes?.Add($"{what} raised to spec × {ResourceText.Number(bounds.MinRatio)} = {format(low)}");
            return low;
        }

        if (high > 0 && value > high)
        {
            notes?.Add($"{what} capped at spec × {ResourceText.Number(bounds.MaxRatio)} = {format(high)}");
            return high;
        }

        return value;
    }

    private static string P(double p) => ResourceText.Number(p * 100);

    private static string Signed(double fraction) => (fraction >= 0 ? "+" : "") + ResourceText.Percent(fraction);
}
