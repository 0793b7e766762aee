using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>Upstream's <c>deriveWorkloadReadiness</c>, first match wins.</summary>
public static class ReadinessRules
{
    public static Readiness Derive(int failedWorkers, int desired, int readyWorkers, bool dynamicReplicas)
    {
        if (failedWorkers > 0)
        {
            return new Readiness(WorkloadPhase.Failed, false, ConditionReasons.WorkerFailed, $"Failed workers num: {failedWorkers}");
        }

        if (desired == 0)
        {
            return new Readiness(WorkloadPhase.Pending, false, ConditionReasons.ScaledToZero, "The workload has no workers");
        }

        if (dynamicReplicas || readyWorkers == desired)
        {
            return new Readiness(WorkloadPhase.Running, true, ConditionReasons.WorkloadReady, "All workers are ready");
        }

        return new Readiness(WorkloadPhase.Pending, false, ConditionReasons.WaitingForWorkers, $"Ready replicas: {readyWorkers}/{desired}");
    }
}
