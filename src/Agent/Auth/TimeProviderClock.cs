namespace TensorFusion.Agent.Auth;

/// <summary>Lets the verdict caches expire on the injected clock (FakeTimeProvider in tests).</summary>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
