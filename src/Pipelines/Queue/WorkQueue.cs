using System.Threading.Channels;

namespace TensorFusion.Pipelines.Queue;

/// <summary>
/// A queue of keys with controller-runtime's guarantees: fair (FIFO), stingy (a key waiting to be processed is queued
/// once however often it is added), never handed to two workers at once (a key added while it is processed is queued
/// again when <see cref="Done"/> is called), delayed adds that keep the earliest due time, and rate-limited retries.
/// All delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the name matches controller-runtime's workqueue that operators know.")]
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, long> _queuedAt = [];
    private readonly Dictionary<TKey, DelayedAdd> _delayed = [];
    private readonly TimeProvider _time;
    private readonly IRateLimiter<TKey> _limiter;
    private readonly IWorkQueueMetrics _metrics;
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    public WorkQueue(TimeProvider time, IRateLimiter<TKey>? limiter = null, IWorkQueueMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limiter = limiter ?? ControllerRateLimiter.Create<TKey>(time);
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
        _metrics.SetDepth(0);
    }

    /// <summary>Keys waiting to be taken (not counting delayed ones or the ones being processed).</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _ready.Reader.Count;
            }
        }
    }

    /// <summary>Keys handed out and not yet <see cref="Done"/>.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting; ignored after shutdown.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            _queuedAt[key] = _time.GetTimestamp();
            if (_processing.Contains(key))
            {
                // Queued again by Done, so that one key never runs twice at once.
                return;
            }

            _ready.Writer.TryWrite(key);
            _metrics.SetDepth(_ready.Reader.Count);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; a pending earlier due time wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var entry = new DelayedAdd(this, key, due);
            _delayed[key] = entry;
            entry.Timer = _time.CreateTimer(static state => ((DelayedAdd)state!).Fire(), entry, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Queues <paramref name="key"/> after the rate limiter's delay and counts one retry.</summary>
    public void AddRateLimited(TKey key)
    {
        _metrics.CountRetry();
        AddAfter(key, _limiter.NextDelay(key));
    }

    /// <summary>Clears the key's retry history (after a success).</summary>
    public void Forget(TKey key) => _limiter.Forget(key);

    /// <summary>Rate-limited retries of <paramref name="key"/> since it last succeeded.</summary>
    public int NumRequeues(TKey key) => _limiter.Failures(key);

    /// <summary>
    /// Waits for the next key and marks it as processing. Returns <c>false</c> once the queue is shut down and empty.
    /// The caller must call <see cref="Done"/> with the key when it has finished.
    /// </summary>
    public async ValueTask<(bool Taken, TKey Key)> TakeAsync(CancellationToken cancellationToken)
    {
        while (await _ready.Reader.WaitToReadAsync(cancellationToken))
        {
            lock (_gate)
            {
                if (!_ready.Reader.TryRead(out var key))
                {
                    continue;
                }

                _dirty.Remove(key);
                _processing.Add(key);
                if (_queuedAt.Remove(key, out var queuedAt))
                {
                    _metrics.ObserveQueueLatency(_time.GetElapsedTime(queuedAt));
                }

                _metrics.SetDepth(_ready.Reader.Count);
                return (true, key);
            }
        }

        return (false, default!);
    }

    /// <summary>Marks <paramref name="key"/> finished; if it was added meanwhile it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shuttingDown)
            {
                _ready.Writer.TryWrite(key);
                _metrics.SetDepth(_ready.Reader.Count);
            }

            if (_processing.Count == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting keys; waiting takers return <c>false</c> once the queued keys are gone.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            _ready.Writer.TryComplete();
            foreach (var pending in _delayed.Values)
            {
                pending.Timer.Dispose();
            }

            _delayed.Clear();
        }
    }

    /// <summary>Shuts down and completes when every key handed out has been <see cref="Done"/>.</summary>
    public Task ShutDownWithDrainAsync()
    {
        ShutDown();
        lock (_gate)
        {
            if (_processing.Count == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    public void Dispose() => ShutDown();

    private void FireDelayed(DelayedAdd entry)
    {
        lock (_gate)
        {
            if (!_delayed.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            _delayed.Remove(entry.Key);
            entry.Timer.Dispose();
        }

        Add(entry.Key);
    }

    private sealed class DelayedAdd(WorkQueue<TKey> owner, TKey key, DateTimeOffset due)
    {
        public TKey Key { get; } = key;

        public DateTimeOffset Due { get; } = due;

        // Set under the queue's lock right after creation; Fire takes the same lock before reading it.
        public ITimer Timer { get; set; } = null!;

        public void Fire() => owner.FireDelayed(this);
    }
}
