using k8s.Models;

namespace TensorFusion.Api.Conventions;

/// <summary>
/// The identity of a Kubernetes object. Its text form is client-go's cache key: <c>namespace/name</c>, or just
/// <c>name</c> for a cluster-scoped object (empty <see cref="Namespace"/>). <see cref="Of"/> is for namespaced kinds,
/// where an object that names no namespace lives in <c>default</c>, as the API server files it.
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public const string DefaultNamespace = "default";

    /// <summary>The key of an object of a namespaced kind (no namespace means <c>default</c>).</summary>
    public static ObjectKey Of(V1ObjectMeta? metadata) => InNamespace(metadata?.NamespaceProperty, metadata?.Name ?? string.Empty);

    /// <summary>The key of <paramref name="name"/> in <paramref name="namespace"/>, <c>default</c> when that is null or empty.</summary>
    public static ObjectKey InNamespace(string? @namespace, string name) =>
        new(string.IsNullOrEmpty(@namespace) ? DefaultNamespace : @namespace, name);

    /// <summary>The inverse of <see cref="ToString"/>: text without a slash is a cluster-scoped name.</summary>
    public static ObjectKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new(string.Empty, key) : new(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
