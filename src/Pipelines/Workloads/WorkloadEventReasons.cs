namespace TensorFusion.Pipelines.Workloads;

/// <summary>Reasons of the Events and Ready conditions the workload reconciler writes beyond upstream's.</summary>
public static class WorkloadEventReasons
{
    public const string CreatedWorker = "SuccessfulCreate";
    public const string DeletedWorker = "SuccessfulDelete";
    public const string RollingUpdate = "RollingUpdate";
    public const string PoolNotFound = "PoolNotFound";
    public const string WorkloadProfileNotFound = "WorkloadProfileNotFound";
    public const string UnknownGpuModel = "UnknownGpuModel";
    public const string ReplicasIgnored = "ReplicasIgnored";
    public const string GpuCountExceedsNodes = "GpuCountExceedsNodes";
}
