namespace TensorFusion.Pipelines.Queue;

/// <summary>The controller-runtime default: per-key 5 ms → 1000 s exponential backoff under a 10/s, burst 100 bucket.</summary>
public static class ControllerRateLimiter
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);
    public const double OverallRatePerSecond = 10;
    public const int OverallBurst = 100;

    public static IRateLimiter<TKey> Create<TKey>(TimeProvider time)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ItemExponentialRateLimiter<TKey>(BaseDelay, MaxDelay),
            new OverallRateLimiter<TKey>(OverallRatePerSecond, OverallBurst, time));
}
