namespace TensorFusion.Estimators.Histograms;

/// <summary>
/// Exponentially growing histogram buckets: bucket <c>i</c> starts at <c>first × (ratio^i − 1)/(ratio − 1)</c>, so bucket 0
/// starts at 0, bucket 1 at <c>first</c>, and every bucket is <c>ratio</c> times wider than the one before it.
/// The bucket count is the smallest that makes the last bucket start at or above <see cref="MaxValue"/>:
/// <c>ceil(log_ratio(max × (ratio − 1)/first + 1)) + 1</c>. Values beyond the last start fall into the last bucket.
/// </summary>
/// <remarks>
/// Bucket starts are precomputed and the bucket of a value is found with one logarithm (a precomputed <c>1/ln ratio</c>)
/// plus a one-step correction against the table, so adding a sample never allocates.
/// </remarks>
public sealed class ExponentialBuckets
{
    private readonly double[] _starts;
    private readonly double _scale;
    private readonly double _inverseLogRatio;

    public ExponentialBuckets(double firstBucketSize, double ratio, double maxValue, double epsilon)
    {
        if (!(firstBucketSize > 0) || double.IsInfinity(firstBucketSize))
        {
            throw new ArgumentOutOfRangeException(nameof(firstBucketSize), firstBucketSize, "the first bucket size must be a positive number");
        }

        if (!(ratio > 1) || double.IsInfinity(ratio))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the bucket growth ratio must be greater than 1");
        }

        if (!(maxValue >= firstBucketSize) || double.IsInfinity(maxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "the maximum value must be at least the first bucket size");
        }

        FirstBucketSize = firstBucketSize;
        Ratio = ratio;
        MaxValue = maxValue;
        Epsilon = epsilon;
        _scale = (ratio - 1) / firstBucketSize;
        _inverseLogRatio = 1 / Math.Log(ratio);
        var count = (int)Math.Ceiling(Math.Log(maxValue * _scale + 1) * _inverseLogRatio) + 1;
        _starts = new double[count];
        for (var i = 0; i < count; i++)
        {
            _starts[i] = firstBucketSize * (Math.Pow(ratio, i) - 1) / (ratio - 1);
        }
    }

    /// <summary>TFLOPs: first bucket 0.1 TFLOPs, up to 10 000 TFLOPs, 5 % growth, epsilon 1e-4 (176 buckets).</summary>
    public static ExponentialBuckets Tflops { get; } = new(0.1, 1.05, 10_000, 1e-4);

    /// <summary>VRAM in bytes: first bucket 1e7 B (10 MB), up to 1e12 B, 5 % growth, epsilon 1e-4 (176 buckets).</summary>
    public static ExponentialBuckets Vram { get; } = new(1e7, 1.05, 1e12, 1e-4);

    public double FirstBucketSize { get; }

    public double Ratio { get; }

    public double MaxValue { get; }

    /// <summary>Bucket weights below this count as empty.</summary>
    public double Epsilon { get; }

    public int Count => _starts.Length;

    /// <summary>The lower edge of bucket <paramref name="bucket"/> (0 for bucket 0).</summary>
    public double Start(int bucket) => _starts[bucket];

    /// <summary>The upper edge of a bucket: the start of the next one, or the start of the last bucket for the last.</summary>
    public double End(int bucket) => bucket < _starts.Length - 1 ? _starts[bucket + 1] : _starts[^1];

    /// <summary>The bucket holding <paramref name="value"/>; negative and NaN values go to bucket 0.</summary>
    public int Find(double value)
    {
        if (!(value >= FirstBucketSize))
        {
            return 0;
        }

        var guess = Math.Log(value * _scale + 1) * _inverseLogRatio;
        var last = _starts.Length - 1;
        if (!(guess < last))
        {
            return last;
        }

        // The logarithm can land one bucket off near an edge; the table is the truth.
        var bucket = (int)guess;
        if (value < _starts[bucket])
        {
            bucket--;
        }
        else if (bucket < last && value >= _starts[bucket + 1])
        {
            bucket++;
        }

        return bucket;
    }
}
