namespace TensorFusion.Estimators.Histograms;

/// <summary>
/// A histogram in which recent samples weigh exponentially more than old ones.
/// </summary>
/// <remarks>
/// Instead of shrinking every old weight as time passes, a sample taken at time <c>t</c> is stored with weight
/// <c>w × 2^((t − reference)/halfLife)</c>: a sample one half-life newer than another counts twice as much. Because every
/// percentile is a ratio of weights, the common factor <c>2^(−reference/halfLife)</c> cancels out, so the choice of
/// reference never changes an answer. The reference is kept at a multiple of the half-life (counted from the Unix
/// epoch); when a new sample's exponent would pass 100 (factor 2^100 ≈ 1.3e30) every weight is scaled down and the
/// reference moves forward, which keeps the numbers far from overflow. Weights that decay below epsilon are dropped.
/// </remarks>
public sealed class DecayingHistogram
{
    /// <summary>Largest exponent a sample may carry before the histogram is renormalised to a newer reference.</summary>
    public const double MaxDecayExponent = 100;

    private readonly long _halfLifeTicks;
    private readonly double _inverseHalfLifeTicks;
    private long _referenceTicks;
    private bool _hasReference;
    private long _cachedTicks = long.MinValue;
    private double _cachedFactor;

    /// <param name="buckets">Bucket layout.</param>
    /// <param name="halfLife">Time after which a sample's weight has halved relative to a fresh one; must be positive.</param>
    /// <param name="reference">Initial reference, rounded down to a multiple of <paramref name="halfLife"/>; when null the
    /// first sample sets it.</param>
    public DecayingHistogram(ExponentialBuckets buckets, TimeSpan halfLife, DateTimeOffset? reference = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(halfLife, TimeSpan.Zero);
        Histogram = new Histogram(buckets);
        HalfLife = halfLife;
        _halfLifeTicks = halfLife.Ticks;
        _inverseHalfLifeTicks = 1.0 / halfLife.Ticks;
        if (reference is { } start)
        {
            _referenceTicks = AlignedTicks(start.UtcTicks);
            _hasReference = true;
        }
    }

    public TimeSpan HalfLife { get; }

    /// <summary>The time at which a sample counts with its plain weight (factor 1); null before the first sample.</summary>
    public DateTimeOffset? Reference => _hasReference ? new DateTimeOffset(_referenceTicks, TimeSpan.Zero) : null;

    /// <summary>The underlying weights, already multiplied by their decay factors.</summary>
    public Histogram Histogram { get; }

    public bool IsEmpty => Histogram.IsEmpty;

    public double TotalWeight => Histogram.TotalWeight;

    /// <summary>The END of the bucket where the decayed cumulative weight reaches <c>p × total</c>; 0 when empty.</summary>
    public double Percentile(double p) => Histogram.Percentile(p);

    public void AddSample(double value, double weight, DateTimeOffset time) =>
        Histogram.AddSample(value, weight * DecayFactor(time.UtcTicks));

    public void SubtractSample(double value, double weight, DateTimeOffset time) =>
        Histogram.SubtractSample(value, weight * DecayFactor(time.UtcTicks));

    /// <summary>
    /// Adds <paramref name="other"/> into this histogram. Both must have the same half-life; the older reference is
    /// moved to the newer one first so that equal times keep equal weights.
    /// </summary>
    public void Merge(DecayingHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.HalfLife != HalfLife)
        {
            throw new ArgumentException($"cannot merge decaying histograms with half-lives {HalfLife} and {other.HalfLife}", nameof(other));
        }

        if (!other._hasReference)
        {
            return;
        }

        if (!_hasReference || other._referenceTicks > _referenceTicks)
        {
            MoveReference(other._referenceTicks);
        }

        Histogram.MergeScaled(other.Histogram, double.Exp2((other._referenceTicks - _referenceTicks) * _inverseHalfLifeTicks));
    }

    /// <summary>Sets the reference without touching weights (only for restoring a checkpoint into an empty histogram).</summary>
    public void RestoreReference(DateTimeOffset reference)
    {
        if (!IsEmpty)
        {
            throw new InvalidOperationException("the reference of a non-empty histogram can only move through renormalisation");
        }

        _referenceTicks = AlignedTicks(reference.UtcTicks);
        _hasReference = true;
        _cachedTicks = long.MinValue;
    }

    private double DecayFactor(long ticks)
    {
        // Samples of one scrape share a timestamp, so one exponentiation serves the whole batch.
        if (ticks == _cachedTicks)
        {
            return _cachedFactor;
        }

        if (!_hasReference)
        {
            _referenceTicks = AlignedTicks(ticks);
            _hasReference = true;
        }

        var exponent = (ticks - _referenceTicks) * _inverseHalfLifeTicks;
        if (exponent > MaxDecayExponent)
        {
            MoveReference(AlignedTicks(ticks));
            exponent = (ticks - _referenceTicks) * _inverseHalfLifeTicks;
        }

        _cachedTicks = ticks;
        _cachedFactor = double.Exp2(exponent);
        return _cachedFactor;
    }

    private void MoveReference(long newReferenceTicks)
    {
        if (_hasReference && !Histogram.IsEmpty)
        {
            Histogram.Scale(double.Exp2((_referenceTicks - newReferenceTicks) * _inverseHalfLifeTicks));
        }

        _referenceTicks = newReferenceTicks;
        _hasReference = true;
        _cachedTicks = long.MinValue;
    }

    private long AlignedTicks(long ticks)
    {
        var sinceEpoch = ticks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks - (((sinceEpoch % _halfLifeTicks) + _halfLifeTicks) % _halfLifeTicks);
    }
}
