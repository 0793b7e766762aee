namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// Reconnect delays: the n-th consecutive failure waits <c>min(initial · 2ⁿ, max) · (1 + u)</c> with u uniform in
/// [0, 1) (client-go's jitter 1.0). With 800 ms and 30 s the first delay lies in [0.8, 1.6) s and the steady state
/// in [30, 60) s. <see cref="Reset"/> after a healthy watch.
/// </summary>
public sealed class JitteredBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var seconds = Math.Min(initial.TotalSeconds * Math.Pow(2, Math.Min(_failures, 30)), max.TotalSeconds);
        _failures++;
        return TimeSpan.FromSeconds(seconds * (1 + random.NextDouble()));
    }

    public void Reset() => _failures = 0;
}
