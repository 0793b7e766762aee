using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TensorFusion.Api.Serialization;
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
            return _cache.GetValueOrDefault(ObjectKeys.Of(@namespace, name));
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
            return filter is null ? [.. _cache.Values] : [.. _cache.Values.Where(filter)];
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
            return _indexes.TryGetValue(name, out var index)
                ? index.Get(value)
                : throw new InvalidOperationException($"{_resource.Kind} cache has no index \"{name}\"");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
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
                await BackOffAsync(e, cancellationToken);
            }
#pragma warning disable CA1031 // The loop must outlive any fault: it is logged and healed by a relist, never silent.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFaultHealed(_options.Logger, _resource.Kind, e);
                _metrics.CountWatchRestart();
                needList = true;
                await BackOffAsync(e, cancellationToken);
            }
        }

        _changes.OnCompleted();
        _quarantined.OnCompleted();
    }

    public void Dispose()
    {
        _changes.Dispose();
        _quarantined.Dispose();
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

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        _metrics.CountRelist();
        LogRelist(_options.Logger, _resource.Kind, _resourceVersion ?? "(none)");
        var query = _options.LabelSelector is null ? string.Empty : "?labelSelector=" + Uri.EscapeDataString(_options.LabelSelector);
        using var list = await _client.GetAsync<JsonDocument>(_resource.CollectionPath() + query, cancellationToken);
        var listed = new Dictionary<string, T>();
        var invalid = new Dictionary<string, InvalidObject>(StringComparer.Ordinal);
        foreach (var element in list.RootElement.GetProperty("items").EnumerateArray())
        {
            var (item, problem) = DecodeOrQuarantine(element, "list held a null item");
            if (item is not null)
            {
                listed[ObjectKeys.Of(item)] = item;
            }
            else
            {
                invalid[problem!.Key] = problem;
            }
        }

        var changes = new List<ObjectChange<T>>();
        var quarantined = new List<InvalidObject>();
        lock (_gate)
        {
            foreach (var (key, problem) in invalid)
            {
                if (_cache.TryGetValue(key, out var lastGood))
                {
                    // The last good version stays: the object is still there, only its new version is unusable.
                    listed[key] = lastGood;
                }

                if (_invalid.GetValueOrDefault(key)?.ResourceVersion != problem.ResourceVersion)
                {
                    quarantined.Add(problem);
                }
            }

            _invalid.Clear();
            foreach (var (key, problem) in invalid)
            {
                _invalid[key] = problem;
            }

            foreach (var (key, item) in listed)
            {
                if (!_cache.TryGetValue(key, out var old))
                {
                    changes.Add(new ObjectChange<T>(ChangeType.Added, item, null));
                }
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    changes.Add(new ObjectChange<T>(ChangeType.Modified, item, old));
                }
            }

            // Deleted while we were not watching: client-go's Replace tombstones (DeletedFinalStateUnknown).
            changes.AddRange(_cache.Where(pair => !listed.ContainsKey(pair.Key)).Select(pair => new ObjectChange<T>(ChangeType.Deleted, pair.Value, pair.Value)));
            _cache = listed;
            foreach (var index in _indexes.Values)
            {
                index.Rebuild(listed);
            }

            _resourceVersion = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        }

        _metrics.SetCacheObjects(listed.Count);
        _metrics.SetInvalidObjects(invalid.Count);
        foreach (var change in changes)
        {
            _changes.OnNext(change);
        }

        foreach (var problem in quarantined)
        {
            Quarantine(problem);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)(_options.MinWatchTimeout.TotalSeconds * (1 + _random.NextDouble()));
        var query = $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(_resourceVersion ?? string.Empty)}&timeoutSeconds={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        if (_options.LabelSelector is not null)
        {
            query += "&labelSelector=" + Uri.EscapeDataString(_options.LabelSelector);
        }

        using var silence = new CancellationTokenSource(_options.SilenceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        try
        {
            using var response = await _client.OpenStreamAsync(_resource.CollectionPath() + query, linked.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(linked.Token) is { } line)
            {
                silence.CancelAfter(_options.SilenceTimeout);
                if (line.Length > 0)
                {
                    Apply(line);
                }
            }
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SilentWatchException($"{_resource.Kind} watch was silent for {_options.SilenceTimeout}");
        }
    }

    /// <summary>
    /// The typed object without metadata.managedFields: no controller reads them, and in a real cluster they are often
    /// the largest part of an object's metadata (client-go's TransformStripManagedFields does the same).
    /// </summary>
    private (T? Item, InvalidObject? Problem) DecodeOrQuarantine(JsonElement element, string nullMessage)
    {
        try
        {
            var item = Decode(element, nullMessage);
            return _validate?.Invoke(item) is { } problem ? (null, InvalidObjectReader.Read(_resource.Kind, element, problem)) : (item, null);
        }
        catch (Exception e) when (InvalidObjectReader.IsDecodeFailure(e) && element.ValueKind == JsonValueKind.Object)
        {
            return (null, InvalidObjectReader.Read(_resource.Kind, element, InvalidObjectReader.Describe(e)));
        }
    }

    private void Quarantine(InvalidObject problem)
    {
        LogQuarantined(_options.Logger, problem.Kind, problem.Key, problem.ResourceVersion ?? "?", problem.Problem);
        _quarantined.OnNext(problem);
    }

    private T Decode(JsonElement element, string nullMessage)
    {
        var item = element.Deserialize<T>(TensorFusionJson.Options) ?? throw new JsonException($"{_resource.Kind} {nullMessage}");
        if (item.Metadata is { } metadata)
        {
            metadata.ManagedFields = null;
        }

        _trim?.Invoke(item);
        return item;
    }

    private void Apply(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var body = root.GetProperty("object");
        switch (type)
        {
            case "BOOKMARK":
                _resourceVersion = body.GetProperty("metadata").GetProperty("resourceVersion").GetString();
                return;
            case "ERROR":
                var code = body.TryGetProperty("code", out var codeElement) ? codeElement.GetInt32() : 500;
                var reason = body.TryGetProperty("reason", out var reasonElement) ? reasonElement.GetString() : null;
                var message = body.TryGetProperty("message", out var messageElement) ? messageElement.GetString() : null;
                throw new ApiStatusException((System.Net.HttpStatusCode)code, reason, message ?? "watch error");
        }

        var (item, problem) = DecodeOrQuarantine(body, "watch sent a null object");
        if (item is null)
        {
            ApplyInvalid(type, problem!);
            return;
        }

        var key = ObjectKeys.Of(item);
        ObjectChange<T> change;
        int count;
        int invalidCount;
        lock (_gate)
        {
            _invalid.Remove(key);
            invalidCount = _invalid.Count;
            var known = _cache.TryGetValue(key, out var old);
            foreach (var index in _indexes.Values)
            {
                if (old is not null)
                {
                    index.Remove(key, old);
                }

                if (type != "DELETED")
                {
                    index.Add(key, item);
                }
            }

            if (type == "DELETED")
            {
                _cache.Remove(key);
                change = new ObjectChange<T>(ChangeType.Deleted, item, old);
            }
            else
            {
                _cache[key] = item;
                change = new ObjectChange<T>(known ? ChangeType.Modified : ChangeType.Added, item, old);
            }

            _resourceVersion = item.Metadata.ResourceVersion;
            count = _cache.Count;
        }

        _metrics.SetCacheObjects(count);
        _metrics.SetInvalidObjects(invalidCount);
        _changes.OnNext(change);
    }

    /// <summary>
    /// A version that cannot be used: the cache keeps the last good one (a delete still removes it), the key is
    /// quarantined until a valid version or the delete arrives.
    /// </summary>
    private void ApplyInvalid(string? type, InvalidObject problem)
    {
        ObjectChange<T>? deleted = null;
        bool changed;
        int count;
        int invalidCount;
        lock (_gate)
        {
            if (type == "DELETED")
            {
                changed = false;
                _invalid.Remove(problem.Key);
                if (_cache.Remove(problem.Key, out var old))
                {
                    foreach (var index in _indexes.Values)
                    {
                        index.Remove(problem.Key, old);
                    }

                    deleted = new ObjectChange<T>(ChangeType.Deleted, old, old);
                }
            }
            else
            {
                changed = _invalid.GetValueOrDefault(problem.Key)?.ResourceVersion != problem.ResourceVersion;
                _invalid[problem.Key] = problem;
            }

            _resourceVersion = problem.ResourceVersion ?? _resourceVersion;
            count = _cache.Count;
            invalidCount = _invalid.Count;
        }

        _metrics.SetCacheObjects(count);
        _metrics.SetInvalidObjects(invalidCount);
        if (deleted is not null)
        {
            _changes.OnNext(deleted);
        }

        if (changed)
        {
            Quarantine(problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} informer: listing (resuming after resourceVersion {ResourceVersion})")]
    private static partial void LogRelist(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} {Key} (resourceVersion {ResourceVersion}) quarantined: {Problem}; every other object keeps flowing")]
    private static partial void LogQuarantined(ILogger logger, string kind, string key, string resourceVersion, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} informer fault; relisting after a backoff")]
    private static partial void LogFaultHealed(ILogger logger, string kind, Exception exception);
}
