namespace TensorFusion.Estimators.Histograms;

/// <summary>
/// A weighted histogram over <see cref="ExponentialBuckets"/>. Weights are plain doubles; a bucket whose weight falls
/// below <see cref="ExponentialBuckets.Epsilon"/> counts as empty.
/// </summary>
/// <remarks>
/// Percentile(p) walks the buckets from the lowest non-empty one, accumulating weight until it reaches
/// <c>p × total</c>, and returns the END of that bucket. The answer therefore over-estimates by at most one bucket
/// width (5 % for values well above the first bucket), which is the safe side for a resource recommendation.
/// An empty histogram answers 0 for every percentile.
/// </remarks>
public sealed class Histogram
{
    private readonly double[] _weights;
    private int _minBucket;
    private int _maxBucket;

    public Histogram(ExponentialBuckets buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        Buckets = buckets;
        _weights = new double[buckets.Count];
        Clear();
    }

    public ExponentialBuckets Buckets { get; }

    /// <summary>Sum of all bucket weights.</summary>
    public double TotalWeight { get; private set; }

    public bool IsEmpty => _minBucket > _maxBucket;

    /// <summary>Lowest non-empty bucket, or <see cref="ExponentialBuckets.Count"/> when empty.</summary>
    public int MinBucket => _minBucket;

    /// <summary>Highest non-empty bucket, or -1 when empty.</summary>
    public int MaxBucket => _maxBucket;

    public double BucketWeight(int bucket) => _weights[bucket];

    /// <summary>Adds <paramref name="weight"/> to the bucket of <paramref name="value"/>; a negative or NaN weight is ignored.</summary>
    public void AddSample(double value, double weight)
    {
        if (!(weight >= 0 && weight <= double.MaxValue))
        {
            return;
        }

        AddToBucket(Buckets.Find(value), weight);
    }

    /// <summary>Removes weight from the bucket of <paramref name="value"/>; a bucket left below epsilon is emptied.</summary>
    public void SubtractSample(double value, double weight)
    {
        if (!(weight >= 0) || double.IsInfinity(weight))
        {
            return;
        }

        var bucket = Buckets.Find(value);
        var before = _weights[bucket];
        var after = before - weight < Buckets.Epsilon ? 0 : before - weight;
        _weights[bucket] = after;
        TotalWeight -= before - after;
        if (after == 0 && before != 0)
        {
            RecomputeRange();
        }
    }

    /// <summary>The END of the bucket where the cumulative weight reaches <c>p × TotalWeight</c>; 0 when empty.</summary>
    public double Percentile(double p)
    {
        if (IsEmpty)
        {
            return 0;
        }

        // p = 1 is the maximum: answered directly, because a running sum can reach the total before the last bucket
        // when an old, decayed weight is below double precision relative to the rest.
        if (p >= 1)
        {
            return Buckets.End(_maxBucket);
        }

        var threshold = p * TotalWeight;
        var partial = 0.0;
        var bucket = _minBucket;
        for (; bucket < _maxBucket; bucket++)
        {
            partial += _weights[bucket];
            if (partial >= threshold)
            {
                break;
            }
        }

        return Buckets.End(bucket);
    }

    /// <summary>Adds every bucket of <paramref name="other"/> (same bucket layout) into this histogram.</summary>
    public void Merge(Histogram other) => MergeScaled(other, 1.0);

    /// <summary>Adds <paramref name="other"/>'s weights times <paramref name="factor"/>.</summary>
    public void MergeScaled(Histogram other, double factor)
    {
        ArgumentNullException.ThrowIfNull(other);
        var a = Buckets;
        var b = other.Buckets;
        if (!ReferenceEquals(a, b) && (a.FirstBucketSize != b.FirstBucketSize || a.Ratio != b.Ratio || a.Count != b.Count))
        {
            throw new ArgumentException("cannot merge histograms with different bucket layouts", nameof(other));
        }

        for (var bucket = other._minBucket; bucket <= other._maxBucket; bucket++)
        {
            var weight = other._weights[bucket] * factor;
            if (weight > 0)
            {
                AddToBucket(bucket, weight);
            }
        }
    }

    /// <summary>Multiplies every weight by <paramref name="factor"/> (&gt; 0), dropping buckets that fall below epsilon.</summary>
    public void Scale(double factor)
    {
        TotalWeight = 0;
        for (var bucket = _minBucket; bucket <= _maxBucket; bucket++)
        {
            var weight = _weights[bucket] * factor;
            _weights[bucket] = weight < Buckets.Epsilon ? 0 : weight;
            TotalWeight += _weights[bucket];
        }

        RecomputeRange();
    }

    /// <summary>Sets one bucket's weight directly (used when restoring a checkpoint).</summary>
    public void SetBucketWeight(int bucket, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        TotalWeight += weight - _weights[bucket];
        _weights[bucket] = weight;
        RecomputeRange();
    }

    public void Clear()
    {
        Array.Clear(_weights);
        TotalWeight = 0;
        _minBucket = _weights.Length;
        _maxBucket = -1;
    }

    private void AddToBucket(int bucket, double weight)
    {
        _weights[bucket] += weight;
        TotalWeight += weight;
        if (_weights[bucket] >= Buckets.Epsilon)
        {
            if (bucket < _minBucket)
            {
                _minBucket = bucket;
            }

            if (bucket > _maxBucket)
            {
                _maxBucket = bucket;
            }
        }
    }

    private void RecomputeRange()
    {
        _minBucket = _weights.Length;
        _maxBucket = -1;
        for (var bucket = 0; bucket < _weights.Length; bucket++)
        {
            if (_weights[bucket] >= Buckets.Epsilon)
            {
                _minBucket = Math.Min(_minBucket, bucket);
                _maxBucket = bucket;
            }
        }

        // Rounding in repeated subtraction must not leave a phantom weight behind an empty histogram.
        if (_maxBucket < 0)
        {
            TotalWeight = 0;
        }
    }
}
