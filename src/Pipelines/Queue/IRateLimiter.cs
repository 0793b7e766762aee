namespace TensorFusion.Pipelines.Queue;

/// <summary>
/// Decides how long a key waits before it is retried. <see cref="NextDelay"/> is called once per failure and counts it;
/// <see cref="Forget"/> clears the key's history after a success.
/// </summary>
public interface IRateLimiter<in TKey>
    where TKey : notnull
{
    /// <summary>The delay before the next retry of <paramref name="key"/>; counts one more failure.</summary>
    TimeSpan NextDelay(TKey key);

    /// <summary>Forgets the failures of <paramref name="key"/> (its next delay starts from the base again).</summary>
    void Forget(TKey key);

    /// <summary>How many times <see cref="NextDelay"/> was called for <paramref name="key"/> since the last <see cref="Forget"/>.</summary>
    int Failures(TKey key);
}
