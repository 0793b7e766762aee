namespace TensorFusion.Api.Conventions;

/// <summary>Finalizers the engine puts on workloads and worker pods (GPU release happens before removal).</summary>
public static class Finalizers
{
    public const string TensorFusion = Labels.Prefix + "finalizer";
}
