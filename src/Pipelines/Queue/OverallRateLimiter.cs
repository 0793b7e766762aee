namespace TensorFusion.Pipelines.Queue;

/// <summary>
/// A token bucket shared by all keys: <c>ratePerSecond</c> tokens refill per second up to <c>burst</c>. Each retry
/// reserves one token; when the bucket is empty the retry waits until its token has refilled. With 10/s and burst
/// 100, the 101st retry in the same instant waits 0.1 s and the 110th waits 1 s.
/// </summary>
public sealed class OverallRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _lastTimestamp;

    public OverallRateLimiter(double ratePerSecond, int burst, TimeProvider time)
    {
        if (ratePerSecond <= 0 || !double.IsFinite(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "the rate must be a positive number");
        }

        if (burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "the burst must be at least 1");
        }

        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _lastTimestamp = time.GetTimestamp();
    }

    public TimeSpan NextDelay(TKey key)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            _lastTimestamp = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed * _ratePerSecond)) - 1;

            // A negative balance is the queue of reservations ahead of this one; it pays back at the rate.
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _ratePerSecond);
        }
    }

    public void Forget(TKey key)
    {
        // The bucket is shared: one key's success does not give tokens back.
    }

    public int Failures(TKey key) => 0;
}
