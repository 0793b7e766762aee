using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// A current object. <see cref="Value"/> is shared and must never be mutated: clone it (DeepClone) to change it.
/// <see cref="Json"/> is its UTF-8 encoding, written straight into list and watch responses.
/// </summary>
public sealed record StoredObject(string StorageId, string Namespace, string Name, long ResourceVersion, JsonObject Value, byte[] Json)
{
    public string Key => ObjectKey.Of(Namespace, Name);
}
