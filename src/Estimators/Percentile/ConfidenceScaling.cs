namespace TensorFusion.Estimators.Percentile;

/// <summary>
/// VPA's confidence factor, used (beyond upstream TensorFusion) to widen the bounds of young workloads.
/// </summary>
/// <remarks>
/// Confidence <c>c = min(span / I, samples / minutes(I))</c>, where <c>I</c> is the confidence interval, <c>span</c> the time
/// from the first to the last sample and <c>samples / minutes(I)</c> the history length if samples came once a minute.
/// The upper bound becomes <c>upper × (1 + 1/c)</c> and the lower bound <c>lower × (1 + 0.001/c)^−2</c>; the target is left
/// alone. With I = 24 h: 12 h of history triples the upper bound, a day doubles it, a week adds 14 %;
/// the lower bound is ×0.60 after 5 minutes and ×0.95 after an hour. No history at all gives an unbounded upper bound
/// and a zero lower bound, which the clamps of the recommender then turn into the widest allowed range.
/// </remarks>
public static class ConfidenceScaling
{
    public const double UpperMultiplier = 1.0;
    public const double UpperExponent = 1.0;
    public const double LowerMultiplier = 0.001;
    public const double LowerExponent = -2.0;

    /// <summary>The confidence <c>c</c> (≥ 0) in units of <paramref name="interval"/>.</summary>
    public static double Confidence(long samples, DateTimeOffset? first, DateTimeOffset? last, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var span = first is { } from && last is { } to ? (to - from) / interval : 0;
        var samplesSpan = samples / interval.TotalMinutes;
        return Math.Max(0, Math.Min(span, samplesSpan));
    }

    /// <summary><c>value × (1 + 1/c)</c>; 0 stays 0, and c = 0 gives +∞ for a positive value.</summary>
    public static double ScaleUpperBound(double value, double confidence) =>
        value == 0 ? 0 : value * Math.Pow(1 + UpperMultiplier / confidence, UpperExponent);

    /// <summary><c>value × (1 + 0.001/c)^−2</c>; c = 0 gives 0.</summary>
    public static double ScaleLowerBound(double value, double confidence) =>
        value == 0 ? 0 : value * Math.Pow(1 + LowerMultiplier / confidence, LowerExponent);
}
