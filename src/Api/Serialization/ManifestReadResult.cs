using k8s;
using k8s.Models;

namespace TensorFusion.Api.Serialization;

/// <summary>Everything read from a manifest: the objects that were valid and the errors of those that were not.</summary>
public sealed record ManifestReadResult(IReadOnlyList<ManifestObject> Objects, IReadOnlyList<ManifestError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The objects, or a <see cref="ManifestException"/> listing every error.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> GetObjectsOrThrow() =>
        Succeeded ? Objects.Select(entry => entry.Resource).ToList() : throw new ManifestException(Errors);
}
