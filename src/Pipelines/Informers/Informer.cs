using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using k8s;
using k8s.Models;
using TensorFusion.Api.Serialization;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// List, then watch from the list's resourceVersion, keeping a cache of one kind. Bookmarks advance the
/// resourceVersion; a watch that ends or breaks resumes from the last one after a jittered backoff (429 honours
/// Retry-After and never relists); 410 Expired relists and emits a delete for every cached object the new list lacks;
/// a watch silent for <see cref="InformerOptions.SilenceTimeout"/> is renewed. Changes surface on <see cref="Changes"/>
/// after the cache holds them, from one loop, in order.
/// </summary>
public sealed class Informer<T> : IInformer, IDisposable
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
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CacheIndex<T>> _indexes = new(StringComparer.Ordinal);
    private Action<T>? _trim;
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
        _metrics.SetCacheObjects(0);
    }

    public string Kind => _resource.Kind;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Every change, after the cache has applied it. Subscribers must not block.</summary>
    public IObservable<ObjectChange<T>> Changes { get; }

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
                var delay = _backoff.Next();
                if (e is ApiStatusException { RetryAfter: { } retryAfter } && retryAfter > delay)
                {
                    delay = retryAfter;
                }

                await Task.Delay(delay, _time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        _changes.OnCompleted();
    }

    public void Dispose() => _changes.Dispose();

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        _metrics.CountRelist();
        var query = _options.LabelSelector is null ? string.Empty : "?labelSelector=" + Uri.EscapeDataString(_options.LabelSelector);
        using var list = await _client.GetAsync<JsonDocument>(_resource.CollectionPath() + query, cancellationToken);
        var listed = new Dictionary<string, T>();
        foreach (var element in list.RootElement.GetProperty("items").EnumerateArray())
        {
            var item = Decode(element, "list held a null item");
            listed[ObjectKeys.Of(item)] = item;
        }

        var changes = new List<ObjectChange<T>>();
        lock (_gate)
        {
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
        foreach (var change in changes)
        {
            _changes.OnNext(change);
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

        var item = Decode(body, "watch sent a null object");
        var key = ObjectKeys.Of(item);
        ObjectChange<T> change;
        int count;
        lock (_gate)
        {
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
        _changes.OnNext(change);
    }
}
