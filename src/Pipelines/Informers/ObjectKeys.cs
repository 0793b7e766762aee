using TensorFusion.Api.Conventions;
using k8s;
using k8s.Models;

namespace TensorFusion.Pipelines.Informers;

/// <summary>Cache keys: <c>namespace/name</c>, or <c>name</c> for cluster-scoped kinds.</summary>
public static class ObjectKeys
{
    public static string Of(string? @namespace, string name) => new ObjectKey(@namespace ?? string.Empty, name).ToString();

    public static string Of(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of(item.Metadata.NamespaceProperty, item.Metadata.Name);
    }
}
