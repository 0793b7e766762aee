namespace TensorFusion.Pipelines.Queue;

/// <summary>Combines limiters: a retry waits as long as the strictest of them says.</summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly IRateLimiter<TKey>[] _limiters = limiters.Length > 0
        ? limiters
        : throw new ArgumentException("at least one rate limiter is needed", nameof(limiters));

    public TimeSpan NextDelay(TKey key)
    {
        var delay = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            var candidate = limiter.NextDelay(key);
            if (candidate > delay)
            {
                delay = candidate;
            }
        }

        return delay;
    }

    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }

    public int Failures(TKey key) => _limiters.Max(limiter => limiter.Failures(key));
}
