namespace TensorFusion.Api.Conventions;

/// <summary>Values of the <see cref="Annotations.WorkloadMode"/> annotation.</summary>
public static class WorkloadModeValues
{
    public const string Dynamic = "dynamic";
    public const string Fixed = "fixed";
}
