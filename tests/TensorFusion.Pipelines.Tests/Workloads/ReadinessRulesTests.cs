using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class ReadinessRulesTests
{
    [Theory]
    [InlineData(1, 3, 3, false, WorkloadPhase.Failed, ConditionReasons.WorkerFailed)]
    [InlineData(0, 0, 0, false, WorkloadPhase.Pending, ConditionReasons.ScaledToZero)]
    [InlineData(0, 2, 0, true, WorkloadPhase.Running, ConditionReasons.WorkloadReady)]
    [InlineData(0, 3, 3, false, WorkloadPhase.Running, ConditionReasons.WorkloadReady)]
    [InlineData(0, 3, 2, false, WorkloadPhase.Pending, ConditionReasons.WaitingForWorkers)]
    public void Derive_UpstreamOrder_FirstMatchWins(int failed, int desired, int ready, bool dynamic, WorkloadPhase phase, string reason)
    {
        var readiness = ReadinessRules.Derive(failed, desired, ready, dynamic);

        Assert.Equal((phase, reason), (readiness.Phase, readiness.Reason));
    }

    [Fact]
    public void Derive_Waiting_MessageCountsReadyOverDesired()
    {
        Assert.Equal("Ready replicas: 2/3", ReadinessRules.Derive(0, 3, 2, false).Message);
    }
}
