using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>The view a write gets while it holds the store's lock: read current objects, put and delete.</summary>
public sealed class StoreTransaction
{
    private readonly ObjectStore _store;

    internal StoreTransaction(ObjectStore store) => _store = store;

    internal List<LogWrite> Writes { get; } = [];

    public StoredObject? Get(string storageId, string @namespace, string name) => _store.GetLocked(storageId, @namespace, name);

    /// <summary>Stores <paramref name="value"/> (which the store now owns) with the next resourceVersion.</summary>
    public StoredObject Put(string storageId, string @namespace, string name, JsonObject value) =>
        _store.PutLocked(storageId, @namespace, name, value, Writes);

    public StoredObject? Delete(string storageId, string @namespace, string name) =>
        _store.DeleteLocked(storageId, @namespace, name, Writes);
}
