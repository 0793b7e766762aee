namespace TensorFusion.Estimators.Options;

/// <summary>Which resources a recommendation may change when applied (<c>targetResource</c>: compute, vram or all).</summary>
public enum TargetResource
{
    All,
    Compute,
    Vram,
}
