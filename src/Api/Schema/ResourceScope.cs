namespace TensorFusion.Api.Schema;

/// <summary>Whether a kind lives in a namespace or at cluster level (CRD <c>spec.scope</c>).</summary>
public enum ResourceScope
{
    Namespaced,
    Cluster,
}
