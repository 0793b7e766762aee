using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Checkpoint;

namespace TensorFusion.Agent.Applying;

/// <summary>
/// Applies node plans declaratively and crash-safely. Generations only move forward: an older one is refused, the
/// same one with the same content is reconciled again (a no-op when the node already matches), the same one with
/// other content is refused. The accepted plan and each change's intent are checkpointed before the device is
/// touched; <see cref="Recover"/> turns an interrupted change into a consistent node on the next start.
/// Thread-safe: pushes, retries and status reads are serialised.
/// </summary>
public sealed class NodePlanApplier(
    IAcceleratorDevice device,
    AgentCheckpointStore store,
    string nodeName,
    string bootId,
    Func<DeviceInfo, double> deviceTflops,
    Action<AgentFaultPoint, CheckpointIntent>? faultHook = null)
{
    private readonly Lock _gate = new();
    private NodePlan? _plan;
    private NodePlanStatus _status = new(nodeName, 0, PlanApplyResult.Noop, []);

    public NodePlan? CurrentPlan
    {
        get { lock (_gate) { return _plan; } }
    }

    public NodePlanStatus Status
    {
        get { lock (_gate) { return _status; } }
    }

    /// <summary>Loads the checkpoint and brings the node back to the checkpointed plan (call once, before serving).</summary>
    public RecoveryReport Recover()
    {
        lock (_gate)
        {
            var checkpoint = store.Load();
            if (checkpoint is null)
            {
                // Nothing known: leave the device alone until the operator pushes a plan.
                return new RecoveryReport(HadCheckpoint: false, Rebooted: false, null, null);
            }

            if (checkpoint.NodeName != nodeName)
            {
                throw new InvalidDataException(
                    $"checkpoint {store.Path} belongs to node '{checkpoint.NodeName}', not '{nodeName}'; point --state-dir elsewhere");
            }

            var rebooted = checkpoint.BootId != bootId;
            string? outcome = null;
            if (checkpoint.Intent is { } intent && !rebooted)
            {
                outcome = DescribeInterrupted(intent);
            }
            else if (rebooted)
            {
                outcome = "node rebooted: rebuilding partitions and limits from the checkpointed plan";
            }

            _plan = checkpoint.Plan;
            if (_plan is not null)
            {
                Save(intent: null);
                _status = ReconcileLocked(_plan, accepted: false);
            }

            return new RecoveryReport(HadCheckpoint: true, rebooted, checkpoint.Intent?.Action, outcome);
        }
    }

    /// <summary>Handles one plan push.</summary>
    public NodePlanStatus Apply(NodePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            var errors = NodePlanValidator.Validate(plan, nodeName);
            if (errors.Count > 0)
            {
                return Refuse($"invalid plan: {string.Join("; ", errors)}");
            }

            var accepted = _plan?.Generation ?? 0;
            if (plan.Generation < accepted)
            {
                return Refuse($"generation {plan.Generation} is older than the accepted generation {accepted}");
            }

            if (plan.Generation == accepted && !PlanContent.SameContent(plan, _plan!))
            {
                return Refuse($"generation {plan.Generation} was already accepted with different content; push a higher generation");
            }

            var isNew = plan.Generation > accepted;
            if (isNew)
            {
                _plan = plan;
                Save(intent: null);
            }

            _status = ReconcileLocked(_plan!, accepted: isNew);
            return _status;
        }
    }

    /// <summary>Retries the accepted plan (pending IN_USE allocations, devices that came back).</summary>
    public NodePlanStatus Reconcile()
    {
        lock (_gate)
        {
            if (_plan is not null)
            {
                _status = ReconcileLocked(_plan, accepted: false);
            }

            return _status;
        }
    }

    private NodePlanStatus ReconcileLocked(NodePlan plan, bool accepted)
    {
        var observed = DeviceObserver.Observe(device);
        var diff = PlanDiffer.Diff(plan, observed, deviceTflops);
        var round = new ApplyRound(device, observed, plan.Generation, Save, faultHook);
        var blocked = round.Run(plan, diff);
        var allocations = plan.Allocations
            .Select(a => blocked.TryGetValue(a.WorkerKey(), out var status)
                ? status
                : new AllocationStatus(a.Namespace, a.Worker, AllocationState.Applied))
            .ToArray();
        var result = allocations.Any(a => a.State == AllocationState.Failed) ? PlanApplyResult.Failed
            : round.Changed || accepted && !diff.IsEmpty ? PlanApplyResult.Applied
            : PlanApplyResult.Noop;
        return new NodePlanStatus(nodeName, plan.Generation, result, allocations);
    }

    private NodePlanStatus Refuse(string message) =>
        new(nodeName, _plan?.Generation ?? 0, PlanApplyResult.Refused, _status.Allocations, message);

    private void Save(CheckpointIntent? intent) =>
        store.Save(new AgentCheckpoint(AgentCheckpoint.CurrentVersion, bootId, nodeName, _plan, intent));

    private string DescribeInterrupted(CheckpointIntent intent)
    {
        if (intent.Action != CheckpointIntent.CreatePartition || intent.Partition is not { } partition)
        {
            return $"interrupted '{intent.Action}' is re-evaluated against the plan";
        }

        var gpu = device.ListDevices().FirstOrDefault(d => d.Uuid == partition.GpuUuid);
        var exists = gpu is { MigEnabled: true } && device.ListMigInstances(gpu.Index)
            .Any(i => i.ProfileId == partition.ProfileId && i.PlacementStart == partition.PlacementStart);
        return exists
            ? "interrupted partition create had reached the device: rolled forward if still planned, removed otherwise"
            : "interrupted partition create never reached the device: rolled back (nothing to undo)";
    }
}
