namespace TensorFusion.Api.Conventions;

/// <summary>Kubernetes event reasons the engine emits on workloads.</summary>
public static class EventReasons
{
    public const string ResourceScaledUp = "ResourceScaledUp";
    public const string ResourceScaledDown = "ResourceScaledDown";
    public const string GangStrictRejected = "GangStrictRejected";

    /// <summary>Warning: a worker of the workload runs on a GPU its agent reports unhealthy.</summary>
    public const string GpuUnhealthy = "GPUUnhealthy";

    /// <summary>Normal: that GPU is healthy again.</summary>
    public const string GpuRecovered = "GPURecovered";
}
