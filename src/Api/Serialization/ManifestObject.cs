using k8s;
using k8s.Models;

namespace TensorFusion.Api.Serialization;

/// <summary>A typed object read from a manifest, with where it came from.</summary>
public sealed record ManifestObject(int DocumentIndex, int Line, IKubernetesObject<V1ObjectMeta> Resource);
