using k8s.Models;

namespace TensorFusion.Pipelines.Kube;

/// <summary>Label and annotation look-ups that tolerate missing maps.</summary>
public static class ObjectMetaLookups
{
    public static string? Label(this V1ObjectMeta meta, string key) =>
        meta?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public static string? Annotation(this V1ObjectMeta meta, string key) =>
        meta?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
}
