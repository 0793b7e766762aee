namespace TensorFusion.Api.Conventions;

/// <summary>Kubernetes event reasons the engine emits on workloads.</summary>
public static class EventReasons
{
    public const string ResourceScaledUp = "ResourceScaledUp";
    public const string ResourceScaledDown = "ResourceScaledDown";
    public const string GangStrictRejected = "GangStrictRejected";
}
