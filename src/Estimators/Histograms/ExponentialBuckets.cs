namespace TensorFusion.Estimators.Histograms;

/// <summary>
/// Exponentially growing histogram buckets: bucket <c>i</c> starts at <c>first × (ratio^i − 1)/(ratio − 1)</c>, so bucket 0
/// starts at 0, bucket 1 at <c>first</c>, and every bucket is <c>ratio</c> times wider than the one before it.
/// The bucket count is the smallest that makes the last bucket start at or above <see cref="MaxValue"/>:
/// <c>ceil(log_ratio(max × (ratio − 1)/first + 1)) + 1</c>. Values beyond the last start fall into the last bucket.
/// </summary>
/// <remarks>
/// With <c>x = value × (ratio − 1)/first + 1</c>, bucket <c>i</c> is exactly <c>ratio^i ≤ x &lt; ratio^(i+1)</c>, so the bucket is
/// <c>floor(log_ratio x)</c>. Instead of a logarithm per sample, <see cref="Find"/> reads the binary exponent and the top
/// 8 mantissa bits of <c>x</c> (a cell 1/256 of an octave wide, narrower than one 5 % bucket) from a precomputed table
/// and corrects by one step against the bucket starts. No allocation, no transcendental function.
/// </remarks>
public sealed class ExponentialBuckets
{
    private const int MantissaBits = 8;
    private const int MantissaShift = 52 - MantissaBits;

    private readonly double[] _starts;
    private readonly double _scale;
    private readonly double _inverseLogRatio;
    private readonly short[] _cellBuckets;
    private readonly int _maxExponent;

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

        // One entry per (binary exponent, top mantissa bits) cell of x, holding the bucket of the cell's lowest x.
        _maxExponent = Math.Max(0, (int)Math.Floor(Math.Log2(_starts[^1] * _scale + 1)));
        _cellBuckets = new short[(_maxExponent + 1) << MantissaBits];
        for (var cell = 0; cell < _cellBuckets.Length; cell++)
        {
            var lowestX = Math.ScaleB(1 + (cell & ((1 << MantissaBits) - 1)) / (double)(1 << MantissaBits), cell >> MantissaBits);
            _cellBuckets[cell] = (short)FindByLogarithm((lowestX - 1) / _scale);
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

        var bits = BitConverter.DoubleToInt64Bits(value * _scale + 1);
        var exponent = (int)(bits >> 52) - 1023;
        if (exponent > _maxExponent)
        {
            return _starts.Length - 1;
        }

        var bucket = (int)_cellBuckets[(exponent << MantissaBits) | (int)((bits >> MantissaShift) & ((1 << MantissaBits) - 1))];
        return Correct(value, bucket);
    }

    /// <summary>The reference definition: <c>floor(log_ratio(x))</c>, corrected against the table of starts.</summary>
    internal int FindByLogarithm(double value)
    {
        if (!(value >= FirstBucketSize))
        {
            return 0;
        }

        var guess = Math.Log(value * _scale + 1) * _inverseLogRatio;
        return guess < _starts.Length - 1 ? Correct(value, (int)guess) : _starts.Length - 1;
    }

    // Rounding in x can land one bucket off near an edge; the table of starts is the truth.
    private int Correct(double value, int bucket)
    {
        var last = _starts.Length - 1;
        while (bucket > 0 && value < _starts[bucket])
        {
            bucket--;
        }

        while (bucket < last && value >= _starts[bucket + 1])
        {
            bucket++;
        }

        return bucket;
    }
}
