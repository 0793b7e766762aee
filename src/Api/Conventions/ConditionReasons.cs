namespace TensorFusion.Api.Conventions;

/// <summary>Condition reasons the engine writes (upstream names).</summary>
public static class ConditionReasons
{
    // Ready on a workload.
    public const string WorkerFailed = "WorkerFailed";
    public const string ScaledToZero = "ScaledToZero";
    public const string WorkloadReady = "WorkloadReady";
    public const string WaitingForWorkers = "WaitingForWorkers";
    public const string PoolNotFound = "PoolNotFound";

    // ResourceUpdate / RecommendationProvided.
    public const string LowConfidence = "LowConfidence";
    public const string InsideUpdateThreshold = "InsideUpdateThreshold";
    public const string Updated = "Updated";
    public const string NoScalingNeeded = "NoScalingNeeded";
    public const string RuleActive = "RuleActive";
    public const string RuleInactive = "RuleInactive";
    public const string QuotaExceeded = "QuotaExceeded";

    // Gang scheduling.
    public const string GangWorkerFailed = "GangWorkerFailed";
    public const string GangReady = "GangReady";
    public const string GangPending = "GangPending";
    public const string GangQuorumSatisfied = "GangQuorumSatisfied";
    public const string GangWaitingForMembers = "GangWaitingForMembers";
    public const string GangMemberUnschedulable = "GangMemberUnschedulable";
    public const string GangTimedOut = "GangTimedOut";

    // GPUHealthy on a worker pod.
    public const string GpuUnhealthy = "GPUUnhealthy";
    public const string GpuHealthy = "GPUHealthy";
}
