namespace TensorFusion.Pipelines.Queue;

/// <summary>
/// Per-key exponential backoff: the n-th failure (n from 0) waits <c>baseDelay · 2ⁿ</c>, capped at <c>maxDelay</c>.
/// With the controller defaults (5 ms, 1000 s) the delays are 5 ms, 10 ms, 20 ms, … and reach the cap at n = 18
/// (5 ms · 2¹⁸ ≈ 1311 s &gt; 1000 s).
/// </summary>
public sealed class ItemExponentialRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _gate = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ItemExponentialRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (baseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(baseDelay), baseDelay, "the base delay must be positive");
        }

        if (maxDelay < baseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, "the maximum delay must be at least the base delay");
        }

        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    public TimeSpan NextDelay(TKey key)
    {
        int exponent;
        lock (_gate)
        {
            exponent = _failures.GetValueOrDefault(key);
            _failures[key] = exponent + 1;
        }

        // Doubles stay exact far past the cap; the comparison avoids TimeSpan overflow for large exponents.
        var seconds = _baseDelay.TotalSeconds * Math.Pow(2, exponent);
        return seconds >= _maxDelay.TotalSeconds ? _maxDelay : TimeSpan.FromSeconds(seconds);
    }

    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}
