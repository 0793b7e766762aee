using TensorFusion.Pipelines.Informers;

namespace TensorFusion.Pipelines.Quarantine;

/// <summary>Keys of the quarantine controller: <c>Kind|namespace/name</c> (one queue serves every kind).</summary>
public static class QuarantineKeys
{
    public static string Of(InvalidObject invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        return $"{invalid.Kind}|{invalid.Key}";
    }

    public static (string Kind, string? Namespace, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        var objectKey = key[(bar + 1)..];
        var slash = objectKey.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (key[..bar], null, objectKey) : (key[..bar], objectKey[..slash], objectKey[(slash + 1)..]);
    }
}
