namespace TensorFusion.Estimators.Histograms;

/// <summary>
/// A compact, serialisable copy of a <see cref="DecayingHistogram"/>: only non-empty buckets, each weight rescaled to an
/// integer so that the heaviest bucket is <see cref="MaxBucketWeight"/>. The true total weight is kept alongside so a
/// restore gives back the original magnitude (which matters when the histogram is later merged with fresh samples).
/// </summary>
/// <param name="Reference">The decay reference the weights were measured against.</param>
/// <param name="TotalWeight">Sum of the decayed weights at save time.</param>
/// <param name="BucketWeights">Bucket index → weight scaled to 0..<see cref="MaxBucketWeight"/>; zeros are omitted.</param>
public sealed record HistogramCheckpoint(
    DateTimeOffset? Reference,
    double TotalWeight,
    IReadOnlyDictionary<int, uint> BucketWeights)
{
    public const uint MaxBucketWeight = 10_000;

    public static HistogramCheckpoint Save(DecayingHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var weights = histogram.Histogram;
        var buckets = new Dictionary<int, uint>();
        if (weights.IsEmpty)
        {
            return new HistogramCheckpoint(histogram.Reference, 0, buckets);
        }

        var heaviest = 0.0;
        for (var bucket = weights.MinBucket; bucket <= weights.MaxBucket; bucket++)
        {
            heaviest = Math.Max(heaviest, weights.BucketWeight(bucket));
        }

        for (var bucket = weights.MinBucket; bucket <= weights.MaxBucket; bucket++)
        {
            var scaled = (uint)Math.Round(weights.BucketWeight(bucket) / heaviest * MaxBucketWeight);
            if (scaled > 0)
            {
                buckets[bucket] = scaled;
            }
        }

        return new HistogramCheckpoint(histogram.Reference, weights.TotalWeight, buckets);
    }

    /// <summary>
    /// Loads the checkpoint into an empty histogram. Each integer weight is multiplied by
    /// <c>TotalWeight / Σ integer weights</c>; bucket indexes outside the layout are reported, not ignored.
    /// </summary>
    public void RestoreInto(DecayingHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (!histogram.IsEmpty)
        {
            throw new InvalidOperationException("a checkpoint can only be restored into an empty histogram");
        }

        if (Reference is { } reference)
        {
            histogram.RestoreReference(reference);
        }

        var sum = BucketWeights.Values.Sum(weight => (double)weight);
        if (sum <= 0 || !(TotalWeight > 0))
        {
            return;
        }

        var ratio = TotalWeight / sum;
        var count = histogram.Histogram.Buckets.Count;
        foreach (var (bucket, weight) in BucketWeights)
        {
            if (bucket < 0 || bucket >= count)
            {
                throw new ArgumentException($"checkpoint bucket {bucket} is outside the histogram's 0..{count - 1} buckets");
            }

            histogram.Histogram.SetBucketWeight(bucket, weight * ratio);
        }
    }
}
