using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Gpu.Requests;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Applying;

public sealed class NodePlanApplierTests : IDisposable
{
    private readonly AgentTestNode _node = Create();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Apply_NewPlan_CreatesPartitionsAndWritesLimits()
    {
        var applier = _node.NewApplier();

        var status = applier.Apply(Plan(1, Fractional("w-frac", gpu: 1), Partitioned("w-mig", profileId: 9, start: 4)));

        Assert.Equal(PlanApplyResult.Applied, status.Result);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.All(status.Allocations, a => Assert.Equal(AllocationState.Applied, a.State));
        Assert.Equal([(GpuUuid(0), 9, 4)], _node.Partitions());
        // 78 of 312 TFLOPs = 25 % soft, 156 of 312 = 50 % hard.
        Assert.Equal([new WorkerLimits(GpuUuid(1), IsolationMode.Soft, 25, 50, 8L << 30, 16L << 30)],
            _node.Device.GetWorkerLimits("team_w-frac"));
    }

    [Fact]
    public void Apply_SamePlanTwice_SecondIsNoopAndDeviceUntouched()
    {
        var applier = _node.NewApplier();
        var plan = Plan(3, Partitioned("w-mig", profileId: 14, start: 2), Fractional("w-frac", gpu: 1));
        applier.Apply(plan);
        var instanceBefore = _node.Device.ListMigInstances(0).Single().GpuInstanceId;

        var second = applier.Apply(plan with { Allocations = plan.Allocations.ToArray() });

        Assert.Equal(PlanApplyResult.Noop, second.Result);
        Assert.Equal(instanceBefore, _node.Device.ListMigInstances(0).Single().GpuInstanceId);
    }

    [Fact]
    public void Apply_OlderGeneration_RefusedAndStateKept()
    {
        var applier = _node.NewApplier();
        applier.Apply(Plan(5, Fractional("w1")));

        var status = applier.Apply(Plan(4, Fractional("w2")));

        Assert.Equal(PlanApplyResult.Refused, status.Result);
        Assert.Equal(5, status.ObservedGeneration);
        Assert.Contains("older", status.Message, StringComparison.Ordinal);
        Assert.Equal(["team_w1"], _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Apply_SameGenerationOtherContent_Refused()
    {
        var applier = _node.NewApplier();
        applier.Apply(Plan(5, Fractional("w1")));

        var status = applier.Apply(Plan(5, Fractional("w2")));

        Assert.Equal(PlanApplyResult.Refused, status.Result);
        Assert.Contains("different content", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_InvalidPlan_RefusedNamingTheFields()
    {
        var applier = _node.NewApplier();
        var bad = new PlannedAllocation("Team", "train", "w1", IsolationMode.Partitioned, [new PlannedDeviceShare(GpuUuid(0), 10, 5, 0, 0)]);

        var status = applier.Apply(Plan(1, bad));

        Assert.Equal(PlanApplyResult.Refused, status.Result);
        Assert.Contains("allocations[0].namespace", status.Message, StringComparison.Ordinal);
        Assert.Contains("allocations[0].devices[0].tflopsLimit", status.Message, StringComparison.Ordinal);
        Assert.Contains("allocations[0].devices[0].partition", status.Message, StringComparison.Ordinal);
        Assert.Empty(_node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Apply_AllocationRemoved_DestroysPartitionAndRemovesLimits()
    {
        var applier = _node.NewApplier();
        applier.Apply(Plan(1, Partitioned("w-mig", 9, 0), Fractional("w-frac", gpu: 1)));

        var status = applier.Apply(Plan(2, Fractional("w-frac", gpu: 1)));

        Assert.Equal(PlanApplyResult.Applied, status.Result);
        Assert.Empty(_node.Partitions());
        Assert.Equal(["team_w-frac"], _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Apply_PartitionInUse_PendingUntilProcessExitsThenApplied()
    {
        var applier = _node.NewApplier();
        applier.Apply(Plan(1, Partitioned("old", profileId: 9, start: 0)));
        var oldInstance = _node.Device.ListMigInstances(0).Single();
        _node.Device.StartProcess(100, 0, oldInstance.GpuInstanceId, "team_old", LoadModel.Constant(0.5, 0));

        // The new worker needs a 2g at start 0, which overlaps the busy 3g.
        var pending = applier.Apply(Plan(2, Partitioned("new", profileId: 14, start: 0)));

        var state = Assert.Single(pending.Allocations);
        Assert.Equal(AllocationState.Pending, state.State);
        Assert.Contains("in use", state.Reason, StringComparison.Ordinal);
        Assert.Equal([(GpuUuid(0), 9, 0)], _node.Partitions()); // old partition intact, nothing half-made
        Assert.DoesNotContain("team_new", _node.Device.ListLimitedWorkers());

        _node.Device.StopProcess(100);
        var retried = applier.Reconcile();

        Assert.Equal(AllocationState.Applied, Assert.Single(retried.Allocations).State);
        Assert.Equal([(GpuUuid(0), 14, 0)], _node.Partitions());
        Assert.Contains("team_new", _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Apply_GpuLost_AllocationFailedOthersApplied()
    {
        var applier = _node.NewApplier();
        _node.Device.InjectFault(1, DeviceHealth.Lost);

        var status = applier.Apply(Plan(1, Fractional("on-lost", gpu: 1), Fractional("on-good", gpu: 0)));

        Assert.Equal(PlanApplyResult.Failed, status.Result);
        var lost = status.Allocations.Single(a => a.Worker == "on-lost");
        Assert.Equal(AllocationState.Failed, lost.State);
        Assert.Contains(GpuUuid(1), lost.Reason, StringComparison.Ordinal);
        Assert.Equal(AllocationState.Applied, status.Allocations.Single(a => a.Worker == "on-good").State);
    }

    [Fact]
    public void Apply_InvalidPlacement_FailedWithDeviceReason()
    {
        var applier = _node.NewApplier();

        // Profile 9 (3g) may only start at 0 or 4.
        var status = applier.Apply(Plan(1, Partitioned("w", profileId: 9, start: 2)));

        var allocation = Assert.Single(status.Allocations);
        Assert.Equal(AllocationState.Failed, allocation.State);
        Assert.Contains("invalid argument", allocation.Reason, StringComparison.Ordinal);
        Assert.Empty(_node.Partitions());
    }
}
