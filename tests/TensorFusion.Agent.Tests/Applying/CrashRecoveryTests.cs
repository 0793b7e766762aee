using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Checkpoint;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Applying;

/// <summary>kill -9 between "intent" and "done": a hook throws at a fault point, then a fresh applier over the same
/// checkpoint and device (the hardware survives the agent) must leave the node consistent with no orphan.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly AgentTestNode _node = Create();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData(AgentFaultPoint.AfterIntent, "rolled back")]
    [InlineData(AgentFaultPoint.AfterChange, "rolled forward")]
    public void Recover_CrashDuringPartitionCreate_NodeMatchesPlanWithoutOrphans(AgentFaultPoint point, string expectedOutcome)
    {
        var crashing = _node.NewApplier(CrashAt(point, CheckpointIntent.CreatePartition));
        var plan = Plan(7, Partitioned("w-mig", profileId: 9, start: 4), Fractional("w-frac", gpu: 1));

        Assert.Throws<SimulatedCrashException>(() => crashing.Apply(plan));

        var restarted = _node.NewApplier();
        var report = restarted.Recover();

        Assert.Equal(CheckpointIntent.CreatePartition, report.InterruptedAction);
        Assert.Contains(expectedOutcome, report.Outcome, StringComparison.Ordinal);
        Assert.False(report.Rebooted);
        Assert.Equal([(GpuUuid(0), 9, 4)], _node.Partitions());
        Assert.Equal(7, restarted.Status.ObservedGeneration);
        Assert.All(restarted.Status.Allocations, a => Assert.Equal(AllocationState.Applied, a.State));
        Assert.Equal(["team_w-frac", "team_w-mig"], _node.Device.ListLimitedWorkers().Order());
    }

    [Fact]
    public void Recover_CrashAfterCreateOfPartitionNoLongerPlanned_RemovesTheOrphan()
    {
        // Generation 1 wants a 3g at 0; the agent dies right after creating it. Generation 2 (pushed to the restarted
        // agent) no longer wants it: the half-done partition must go, not linger.
        var crashing = _node.NewApplier(CrashAt(AgentFaultPoint.AfterChange, CheckpointIntent.CreatePartition));
        Assert.Throws<SimulatedCrashException>(() => crashing.Apply(Plan(1, Partitioned("w-mig", 9, 0))));
        Assert.Equal([(GpuUuid(0), 9, 0)], _node.Partitions());

        var restarted = _node.NewApplier();
        restarted.Recover();
        var status = restarted.Apply(Plan(2, Partitioned("w-other", 14, 4)));

        Assert.Equal(PlanApplyResult.Applied, status.Result);
        Assert.Equal([(GpuUuid(0), 14, 4)], _node.Partitions());
        Assert.Equal(["team_w-other"], _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Recover_CrashDuringDestroy_FinishesTheDestroy()
    {
        var first = _node.NewApplier();
        first.Apply(Plan(1, Partitioned("w-mig", 9, 0)));
        var crashing = _node.NewApplier(CrashAt(AgentFaultPoint.AfterIntent, CheckpointIntent.DestroyPartition));
        crashing.Recover();

        Assert.Throws<SimulatedCrashException>(() => crashing.Apply(Plan(2, Fractional("w-frac"))));
        var report = _node.NewApplier().Recover();

        Assert.Equal(CheckpointIntent.DestroyPartition, report.InterruptedAction);
        Assert.Empty(_node.Partitions());
        Assert.Equal(["team_w-frac"], _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Recover_AfterReboot_RebuildsPartitionsFromThePlan()
    {
        _node.NewApplier().Apply(Plan(4, Partitioned("a", 9, 0), Partitioned("b", 14, 4)));

        _node.Reboot();
        var restarted = _node.NewApplier();
        var report = restarted.Recover();

        Assert.True(report.Rebooted);
        Assert.Equal([(GpuUuid(0), 9, 0), (GpuUuid(0), 14, 4)], _node.Partitions());
        Assert.Equal(4, restarted.Status.ObservedGeneration);
    }

    [Fact]
    public void Recover_LeftoverPartitionsAndLimits_AreRemoved()
    {
        _node.NewApplier().Apply(Plan(1, Fractional("kept")));
        // Someone (or a previous crashed agent) left a partition and a limits file that no plan owns.
        _node.Device.SetMigMode(0, enabled: true);
        _node.Device.CreateMigInstance(0, profileId: 19, placementStart: 6);
        _node.Device.SetWorkerLimits("team_ghost", []);

        _node.NewApplier().Recover();

        Assert.Empty(_node.Partitions());
        Assert.Equal(["team_kept"], _node.Device.ListLimitedWorkers());
    }

    [Fact]
    public void Recover_NoCheckpoint_LeavesDeviceAlone()
    {
        _node.Device.SetMigMode(0, enabled: true);
        _node.Device.CreateMigInstance(0, profileId: 19, placementStart: 0);

        var report = _node.NewApplier().Recover();

        Assert.False(report.HadCheckpoint);
        Assert.Single(_node.Partitions());
    }

    [Fact]
    public void Recover_CorruptCheckpoint_ThrowsNamingTheFile()
    {
        File.WriteAllText(_node.CheckpointPath, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => _node.NewApplier().Recover());

        Assert.Contains(_node.CheckpointPath, error.Message, StringComparison.Ordinal);
    }

    private static Action<AgentFaultPoint, CheckpointIntent> CrashAt(AgentFaultPoint point, string action) =>
        (at, intent) =>
        {
            if (at == point && intent.Action == action)
            {
                throw new SimulatedCrashException();
            }
        };

    private sealed class SimulatedCrashException : Exception;
}
