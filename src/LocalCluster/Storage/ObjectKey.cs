namespace TensorFusion.LocalCluster.Storage;

/// <summary>The sort key of an object inside its resource: namespace, a separator that sorts first, then name.</summary>
public static class ObjectKey
{
    public static string Of(string @namespace, string name) => string.Concat(@namespace, "\u0001", name);

    /// <summary>The first key of a namespace, for range scans.</summary>
    public static string NamespacePrefix(string @namespace) => string.Concat(@namespace, "\u0001");
}
