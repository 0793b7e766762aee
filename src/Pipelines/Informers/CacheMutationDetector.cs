using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Pipelines.Informers;

/// <summary>
/// Catches code that changes an informer's cached objects (client-go's KUBE_CACHE_MUTATION_DETECTOR). Cached objects
/// are shared by every reader, so an in-place change leaks into every controller's view and disagrees with the API
/// server until the next watch event overwrites it. Each object is serialized when it enters the cache and compared
/// with its serialization again when it is read, replaced, removed and when the informer stops; a difference names the
/// kind, the key and the first differing field. It costs one serialization per check, so it is for test builds:
/// <see cref="InformerOptions.DetectMutations"/>, or the environment variable <c>TF_CACHE_MUTATION_DETECTOR=1</c>.
/// Not thread-safe: the informer calls it under its own lock.
/// </summary>
internal sealed class CacheMutationDetector<T>(string kind)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, (T Item, byte[] Snapshot)> _snapshots = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="item"/> as it is now; an object already remembered under the key is kept.</summary>
    public void Record(string key, T item)
    {
        if (_snapshots.TryGetValue(key, out var known) && ReferenceEquals(known.Item, item))
        {
            return;
        }

        _snapshots[key] = (item, Serialize(item));
    }

    /// <summary>Throws when <paramref name="item"/>, remembered under <paramref name="key"/>, differs from its snapshot.</summary>
    public void Verify(string key, T item)
    {
        if (_snapshots.TryGetValue(key, out var known) && ReferenceEquals(known.Item, item))
        {
            Compare(key, known.Snapshot, item);
        }
    }

    /// <summary>Verifies the object remembered under <paramref name="key"/> and forgets it (it left the cache).</summary>
    public void VerifyAndForget(string key)
    {
        if (_snapshots.Remove(key, out var known))
        {
            Compare(key, known.Snapshot, known.Item);
        }
    }

    /// <summary>Verifies every remembered object, in key order so that a failure is reproducible.</summary>
    public void VerifyAll()
    {
        foreach (var (key, (item, snapshot)) in _snapshots.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Compare(key, snapshot, item);
        }
    }

    /// <summary>Replaces every snapshot by the objects of a relist (after <see cref="VerifyAll"/>).</summary>
    public void Reset(IEnumerable<KeyValuePair<string, T>> items)
    {
        var kept = new Dictionary<string, (T Item, byte[] Snapshot)>(StringComparer.Ordinal);
        foreach (var (key, item) in items)
        {
            kept[key] = _snapshots.TryGetValue(key, out var known) && ReferenceEquals(known.Item, item) ? known : (item, Serialize(item));
        }

        _snapshots.Clear();
        foreach (var (key, entry) in kept)
        {
            _snapshots[key] = entry;
        }
    }

    private void Compare(string key, byte[] snapshot, T item)
    {
        var now = Serialize(item);
        if (snapshot.AsSpan().SequenceEqual(now))
        {
            return;
        }

        var difference = JsonDifference.First(JsonNode.Parse(snapshot), JsonNode.Parse(now), string.Empty) ?? "(same JSON, different bytes)";
        throw new CacheMutationException(kind, key, difference);
    }

    private static byte[] Serialize(T item) => JsonSerializer.SerializeToUtf8Bytes(item, TensorFusionJson.Options);
}
