using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Checkpoint;

namespace TensorFusion.Agent.Applying;

/// <summary>
/// Runs one <see cref="PlanDiff"/> against the device, step by step, recording each step's intent in the checkpoint
/// first. An allocation whose partition cannot be freed yet (IN_USE) is Pending and nothing of it is applied; one
/// whose partition cannot be created is Failed and the partitions already made for it this round are undone.
/// </summary>
internal sealed class ApplyRound(
    IAcceleratorDevice device,
    ObservedNodeState observed,
    long generation,
    Action<CheckpointIntent?> recordIntent,
    Action<AgentFaultPoint, CheckpointIntent>? faultHook)
{
    private readonly Dictionary<string, AllocationStatus> _blocked = new(StringComparer.Ordinal);
    private readonly List<(string Gpu, int Start, int Size)> _busyRanges = [];
    private bool _intentRecorded;

    public bool Changed { get; private set; }

    public IReadOnlyDictionary<string, AllocationStatus> Run(NodePlan plan, PlanDiff diff)
    {
        var owners = plan.Allocations.ToDictionary(a => a.WorkerKey(), StringComparer.Ordinal);
        foreach (var failed in diff.Unplaceable)
        {
            _blocked[PlannedAllocation.KeyOf(failed.Namespace, failed.Worker)] = failed;
        }

        foreach (var change in diff.DestroyPartitions)
        {
            var intent = new CheckpointIntent(generation, CheckpointIntent.DestroyPartition, change);
            var error = Step(intent, () => device.DestroyMigInstance(IndexOf(change.GpuUuid), change.GpuInstanceId!.Value));
            if (error is not null)
            {
                _busyRanges.Add((change.GpuUuid, change.PlacementStart, SizeOf(change)));
            }
        }

        foreach (var gpu in diff.EnableMigOn)
        {
            var error = Step(new CheckpointIntent(generation, CheckpointIntent.EnableMig, new PartitionChange(gpu, 0, 0)),
                () => device.SetMigMode(IndexOf(gpu), enabled: true));
            if (error is not null)
            {
                _busyRanges.Add((gpu, 0, MigLimits.MaxSlices));
            }
        }

        CreatePartitions(diff, owners);
        // Limit files are replaced atomically and are idempotent, so one intent covers the whole batch.
        var writes = diff.WriteLimits.Where(l => !_blocked.ContainsKey(l.WorkerKey)).ToArray();
        if (writes.Length > 0)
        {
            Batch(new CheckpointIntent(generation, CheckpointIntent.WriteLimits), writes, limits =>
            {
                try
                {
                    device.SetWorkerLimits(limits.WorkerKey, limits.Limits);
                }
                catch (AcceleratorException e)
                {
                    Block(owners[limits.WorkerKey], AllocationState.Failed, $"writing limits failed: {e.Message}");
                }
            });
        }

        if (diff.RemoveLimits.Count > 0)
        {
            Batch(new CheckpointIntent(generation, CheckpointIntent.RemoveLimits), diff.RemoveLimits, worker =>
            {
                try
                {
                    device.RemoveWorkerLimits(worker);
                }
                catch (AcceleratorException)
                {
                    // A file that cannot be removed now is found again (and retried) by the next reconcile.
                }
            });
        }

        if (_intentRecorded)
        {
            recordIntent(null);
        }

        return _blocked;
    }

    private void CreatePartitions(PlanDiff diff, Dictionary<string, PlannedAllocation> owners)
    {
        foreach (var group in diff.CreatePartitions.GroupBy(c => c.OwnerKey!, StringComparer.Ordinal))
        {
            var owner = owners[group.Key];
            var busy = group.FirstOrDefault(c => _busyRanges.Any(r => r.Gpu == c.GpuUuid && Overlaps(r, c.PlacementStart, SizeOf(c))));
            if (busy is not null)
            {
                Block(owner, AllocationState.Pending,
                    $"waiting for the processes on {busy.GpuUuid} to exit (partition in use); retried automatically");
                continue;
            }

            var created = new List<(string Gpu, int InstanceId)>();
            foreach (var change in group)
            {
                MigInstance? instance = null;
                var error = Step(new CheckpointIntent(generation, CheckpointIntent.CreatePartition, change),
                    () => instance = device.CreateMigInstance(IndexOf(change.GpuUuid), change.ProfileId, change.PlacementStart));
                if (error is null)
                {
                    created.Add((change.GpuUuid, instance!.GpuInstanceId));
                    continue;
                }

                var state = error.Error == AcceleratorError.InUse ? AllocationState.Pending : AllocationState.Failed;
                Block(owner, state, $"creating partition profile {change.ProfileId} at start {change.PlacementStart} on {change.GpuUuid} failed: {error.Message}");
                foreach (var (gpu, instanceId) in created)
                {
                    // Undo this allocation's partial work: never leave it half-applied.
                    Step(new CheckpointIntent(generation, CheckpointIntent.DestroyPartition, new PartitionChange(gpu, 0, 0, instanceId)),
                        () => device.DestroyMigInstance(IndexOf(gpu), instanceId));
                }

                break;
            }
        }
    }

    /// <summary>Records the intent, then makes the change. The intent is not cleared after each step: the next
    /// step's intent replaces it and the round clears it once at the end (one fsync per step, not two). A crash
    /// in between leaves a finished step's intent, which recovery re-evaluates harmlessly against the device.</summary>
    private AcceleratorException? Step(CheckpointIntent intent, Action change)
    {
        recordIntent(intent);
        _intentRecorded = true;
        faultHook?.Invoke(AgentFaultPoint.AfterIntent, intent);
        try
        {
            change();
            Changed = true;
        }
        catch (AcceleratorException e)
        {
            return e;
        }

        faultHook?.Invoke(AgentFaultPoint.AfterChange, intent);
        return null;
    }

    private void Batch<T>(CheckpointIntent intent, IEnumerable<T> items, Action<T> change)
    {
        recordIntent(intent);
        _intentRecorded = true;
        faultHook?.Invoke(AgentFaultPoint.AfterIntent, intent);
        foreach (var item in items)
        {
            change(item);
        }

        Changed = true;
        faultHook?.Invoke(AgentFaultPoint.AfterChange, intent);
    }

    private void Block(PlannedAllocation allocation, AllocationState state, string reason) =>
        _blocked[allocation.WorkerKey()] = new AllocationStatus(allocation.Namespace, allocation.Worker, state, reason);

    private int IndexOf(string gpuUuid) => observed.Devices.First(d => d.Uuid == gpuUuid).Index;

    private int SizeOf(PartitionChange change)
    {
        var profile = device.ListMigProfiles(IndexOf(change.GpuUuid)).FirstOrDefault(p => p.ProfileId == change.ProfileId);
        return profile?.MemorySlices ?? MigLimits.MaxSlices;
    }

    private static bool Overlaps((string Gpu, int Start, int Size) range, int start, int size) =>
        start < range.Start + range.Size && range.Start < start + size;
}
