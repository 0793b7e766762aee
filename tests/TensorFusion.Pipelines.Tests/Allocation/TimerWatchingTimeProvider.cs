using Microsoft.Extensions.Time.Testing;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>A fake clock that tells when a timer of a given due time is created, so a test advances only after it exists.</summary>
internal sealed class TimerWatchingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Created)> _waiters = [];

    /// <summary>Completes when the next timer due after <paramref name="due"/> is created (arm it before the act).</summary>
    public Task NextTimerAsync(TimeSpan due)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((due, created));
        }

        return created.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(waiter => waiter.Due == dueTime).ToList())
            {
                waiter.Created.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }
}
