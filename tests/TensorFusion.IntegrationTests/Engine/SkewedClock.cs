namespace TensorFusion.IntegrationTests.Engine;

/// <summary>The system clock off by <paramref name="skew"/> (wall time only; timers and timestamps are the system's), as on a node whose clock drifted.</summary>
internal sealed class SkewedClock(TimeSpan skew) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
}
