using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json;
using TensorFusion.Api.Serialization;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// The stream side of <see cref="Informer{T}"/>: a list replaces the cache (Added/Modified for what changed, a tombstone
/// for what went missing), a watch line applies one change, and an object that does not decode or fails the kind's check
/// is quarantined under its own key while the last good version stays cached.
/// </summary>
public sealed partial class Informer<T>
{
    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        _metrics.CountRelist();
        LogRelist(_options.Logger, _resource.Kind, _resourceVersion ?? "(none)");
        var query = _options.LabelSelector is null ? string.Empty : "?labelSelector=" + Uri.EscapeDataString(_options.LabelSelector);
        using var list = await _client.GetAsync<JsonDocument>(_resource.CollectionPath() + query, cancellationToken);
        NoteConnected();
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
            VerifyAll();
            _mutations?.Reset(listed);
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
            NoteConnected();
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
            VerifyLeaving(key);
            if (type != "DELETED")
            {
                _mutations?.Record(key, item);
            }

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
                VerifyLeaving(problem.Key);
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
}
