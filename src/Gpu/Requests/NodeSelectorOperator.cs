namespace TensorFusion.Gpu.Requests;

/// <summary>The operators of a Kubernetes node selector requirement.</summary>
public enum NodeSelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}
