namespace TensorFusion.Api.Conventions;

/// <summary>Taint and toleration keys; workers tolerate <c>tensor-fusion.ai/used-by=tensor-fusion:PreferNoSchedule</c>.</summary>
public static class Taints
{
    public const string UsedBy = Labels.Prefix + "used-by";
    public const string UsedByValue = "tensor-fusion";
    public const string UsedByEffect = "PreferNoSchedule";
}
