using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// List, then watch from the list's resourceVersion, keeping a cache of one kind. Bookmarks advance the
/// resourceVersion; a watch that ends or breaks resumes from the last one after a jittered backoff (429 honours
/// Retry-After and never relists); 410 Expired relists and emits a delete for every cached object the new list lacks;
/// a watch silent for <see cref="InformerOptions.SilenceTimeout"/> is renewed. Changes surface on <see cref="Changes"/>
/// after the cache holds them, from one loop, in order. An object that does not decode, or fails the kind's check
/// (<see cref="ValidateEachObject"/>), is quarantined under its key alone: it never stops the list or the watch, the
/// cache keeps its last good version (if any), and <see cref="Quarantined"/> reports it. Any other fault in the loop
/// is logged, counted and healed by a relist after a backoff.
/// </summary>
public sealed partial class Informer<T> : IInformer, IDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeRestClient _client;
    private readonly ResourceDescriptor _resource;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IInformerMetrics _metrics;
    private readonly JitteredBackoff _backoff;
    private readonly Subject<ObjectChange<T>> _changes = new();
    private readonly Subject<InvalidObject> _quarantined = new();
    private readonly Dictionary<string, InvalidObject> _invalid = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CacheIndex<T>> _indexes = new(StringComparer.Ordinal);
    private readonly CacheMutationDetector<T>? _mutations;
    private readonly CancellationTokenSource _mutated = new();
    private CacheMutationException? _mutation;
    private int _failures;
    private DateTimeOffset _failingSince;
    private Action<T>? _trim;
    private Func<T, string?>? _validate;
    private Dictionary<string, T> _cache = [];
    private string? _resourceVersion;

    public Informer(KubeRestClient client, ResourceDescriptor resource, InformerOptions options, TimeProvider time, Random random, IInformerMetrics? metrics = null)
    {
        _client = client;
        _resource = resource;
        _options = options;
        _time = time;
        _random = random;
        _metrics = metrics ?? NoInformerMetrics.Instance;
        _backoff = new JitteredBackoff(options.InitialBackoff, options.MaxBackoff, random);
        _mutations = options.DetectMutations ? new CacheMutationDetector<T>(resource.Kind) : null;
        Changes = _changes.AsObservable();
        Quarantined = _quarantined.AsObservable();
        _metrics.SetCacheObjects(0);
        _metrics.SetInvalidObjects(0);
    }

    public string Kind => _resource.Kind;

    public ResourceDescriptor Resource => _resource;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Every change, after the cache has applied it. Subscribers must not block.</summary>
    public IObservable<ObjectChange<T>> Changes { get; }

    /// <summary>Every stored version that was quarantined (once per resourceVersion), after <see cref="GetInvalid"/> holds it.</summary>
    public IObservable<InvalidObject> Quarantined { get; }

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? LastResourceVersion => _resourceVersion;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _cache.Count;
            }
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The cached object (shared: callers must not modify it).</summary>
    public T? Get(string? @namespace, string name)
    {
        lock (_gate)
        {
            var key = ObjectKeys.Of(@namespace, name);
            var item = _cache.GetValueOrDefault(key);
            if (item is not null)
            {
                Verify(key, item);
            }

            return item;
        }
    }

    /// <summary>Why the stored object under this key is quarantined; null when it is valid or gone.</summary>
    public InvalidObject? GetInvalid(string? objectNamespace, string name)
    {
        lock (_gate)
        {
            return _invalid.GetValueOrDefault(ObjectKeys.Of(objectNamespace, name));
        }
    }

    /// <summary>Every object now quarantined.</summary>
    public IReadOnlyList<InvalidObject> ListInvalid()
    {
        lock (_gate)
        {
            return [.. _invalid.Values];
        }
    }

    /// <summary>
    /// A check each decoded object must pass (null: valid; otherwise the problem, naming the field and value). A failing
    /// object is quarantined like one that does not decode. Set it before <see cref="RunAsync"/>.
    /// </summary>
    public void ValidateEachObject(Func<T, string?> validate) => _validate = validate;

    public IReadOnlyList<T> List(Func<T, bool>? filter = null)
    {
        lock (_gate)
        {
            List<T> items = filter is null ? [.. _cache.Values] : [.. _cache.Values.Where(filter)];
            foreach (var item in items)
            {
                Verify(ObjectKeys.Of(item), item);
            }

            return items;
        }
    }

    /// <summary>
    /// Drops what no reader of this cache needs from every object as it arrives (client-go's TransformFunc), before
    /// the cache, the indexes or any subscriber sees it. Set it before <see cref="RunAsync"/>.
    /// </summary>
    public void TrimEachObject(Action<T> trim) => _trim = trim;

    /// <summary>
    /// Keeps the objects findable by <paramref name="valueOf"/> (null: not indexed), for <see cref="ListByIndex"/>.
    /// May be added at any time; it covers what the cache already holds.
    /// </summary>
    public void AddIndex(string name, Func<T, string?> valueOf)
    {
        lock (_gate)
        {
            var index = new CacheIndex<T>(valueOf);
            index.Rebuild(_cache);
            _indexes.Add(name, index);
        }
    }

    /// <summary>The cached objects whose index <paramref name="name"/> gives <paramref name="value"/> (shared: do not modify).</summary>
    public IReadOnlyList<T> ListByIndex(string name, string value)
    {
        lock (_gate)
        {
            var items = _indexes.TryGetValue(name, out var index)
                ? index.Get(value)
                : throw new InvalidOperationException($"{_resource.Kind} cache has no index \"{name}\"");
            foreach (var item in items)
            {
                Verify(ObjectKeys.Of(item), item);
            }

            return items;
        }
    }

    /// <summary>
    /// Lists and watches until <paramref name="cancellationToken"/> is cancelled. Every fault is healed except a
    /// mutated cached object (<see cref="InformerOptions.DetectMutations"/>): then it ends with
    /// <see cref="CacheMutationException"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _mutated.Token);
        try
        {
            await RunUntilStoppedAsync(running.Token);
            lock (_gate)
            {
                // The last chance to see a mutation made since the last read.
                VerifyAll();
            }
        }
        catch (CacheMutationException)
        {
            // Already logged by Check; the informer ends with it below.
        }
        finally
        {
            _changes.OnCompleted();
            _quarantined.OnCompleted();
        }

        if (_mutation is { } mutation)
        {
            throw mutation;
        }
    }

    private async Task RunUntilStoppedAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(cancellationToken);
                    needList = false;
                    _synced.TrySetResult();
                }

                await WatchAsync(cancellationToken);
                _backoff.Reset();
                _metrics.CountWatchRestart();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (CacheMutationException)
            {
                throw;
            }
            catch (ApiStatusException e) when (e.IsExpired)
            {
                needList = true;
            }
            catch (SilentWatchException)
            {
                // Renew at once: the server may be fine, the connection is not.
                _metrics.CountWatchRestart();
            }
            catch (Exception e) when (ApiErrors.IsTransient(e) || e is JsonException or OperationCanceledException)
            {
                _metrics.CountWatchRestart();
                NoteFailure(e);
                await BackOffAsync(e, cancellationToken);
            }
#pragma warning disable CA1031 // The loop must outlive any fault: it is logged and healed by a relist, never silent.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFaultHealed(_options.Logger, _resource.Kind, e);
                _metrics.CountWatchRestart();
                NoteFailure(e);
                needList = true;
                await BackOffAsync(e, cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        _changes.Dispose();
        _quarantined.Dispose();
        _mutated.Dispose();
    }

    /// <summary>Checks one cached object against its snapshot (under <see cref="_gate"/>).</summary>
    private void Verify(string key, T item)
    {
        if (_mutations is { } mutations)
        {
            Check(() => mutations.Verify(key, item));
        }
    }

    /// <summary>Checks every cached object against its snapshot (under <see cref="_gate"/>).</summary>
    private void VerifyAll()
    {
        if (_mutations is { } mutations)
        {
            Check(mutations.VerifyAll);
        }
    }

    /// <summary>The cached object under <paramref name="key"/> is leaving the cache: checks it one last time (under <see cref="_gate"/>).</summary>
    private void VerifyLeaving(string key)
    {
        if (_mutations is { } mutations)
        {
            Check(() => mutations.VerifyAndForget(key));
        }
    }

    /// <summary>
    /// Runs a detector check; a mutation is logged, stops the informer's loop and is thrown to the caller, whoever found
    /// it: the mutating code is a bug, and going on would serve a state the API server never stored.
    /// </summary>
    private void Check(Action check)
    {
        try
        {
            check();
        }
        catch (CacheMutationException e)
        {
            if (_mutation is null)
            {
                _mutation = e;
                LogMutation(_options.Logger, e.Message);
                // Not Cancel: its callbacks would run here, under the cache's lock.
                _ = _mutated.CancelAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// The first failure of a run is logged (an API server outage shows once per kind, not once per retry); every
    /// retry is counted in tensorfusion_informer_watch_restarts_total.
    /// </summary>
    private void NoteFailure(Exception e)
    {
        if (_failures++ == 0)
        {
            _failingSince = _time.GetUtcNow();
            LogUnreachable(_options.Logger, _resource.Kind, e.Message);
        }
    }

    /// <summary>A list or watch reached the API server again: logs the recovery of a failing run.</summary>
    private void NoteConnected()
    {
        if (_failures > 0)
        {
            var elapsed = _time.GetUtcNow() - _failingSince;
            LogReconnected(_options.Logger, _resource.Kind, _failures, elapsed);
            _failures = 0;
        }
    }

    private async Task BackOffAsync(Exception e, CancellationToken cancellationToken)
    {
        var delay = _backoff.Next();
        if (e is ApiStatusException { RetryAfter: { } retryAfter } && retryAfter > delay)
        {
            delay = retryAfter;
        }

        await Task.Delay(delay, _time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} informer: listing (resuming after resourceVersion {ResourceVersion})")]
    private static partial void LogRelist(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} {Key} (resourceVersion {ResourceVersion}) quarantined: {Problem}; every other object keeps flowing")]
    private static partial void LogQuarantined(ILogger logger, string kind, string key, string resourceVersion, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} informer: cannot list or watch ({Error}); retrying with backoff, serving the cached state meanwhile")]
    private static partial void LogUnreachable(ILogger logger, string kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} informer: reached the API server again after {Failures} failed attempts over {Elapsed}")]
    private static partial void LogReconnected(ILogger logger, string kind, int failures, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopping: {Message}")]
    private static partial void LogMutation(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} informer fault; relisting after a backoff")]
    private static partial void LogFaultHealed(ILogger logger, string kind, Exception exception);
}
