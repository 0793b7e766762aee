using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// Decides one gang inside a batch as a single transaction: its pending members are placed one after the other (with
/// preemption of strictly lower-QoS workers allowed), and if fewer than the quorum still missing end up placed, every
/// placement is released and every victim restored, so a gang never holds GPUs while it waits and two gangs can never
/// deadlock each other holding halves of the cluster. Members already placed in earlier batches count toward the quorum.
/// </summary>
internal static class GangPlacement
{
    public static IReadOnlyList<AllocationDecision> Decide(
        BatchAllocator allocator, string groupKey, IReadOnlyList<AllocationRequest> pending, DateTimeOffset now)
    {
        var required = pending.Max(member => member.Gang!.RequiredMembers);
        var placedBefore = allocator.State.Allocations.Values.Count(allocation => allocation.Request.Gang?.GroupKey == groupKey);
        var alreadyPlaced = pending.Where(member => allocator.State.Allocations.ContainsKey(member.WorkerId)).ToArray();
        if (alreadyPlaced.Length > 0)
        {
            // A member asked for again (a retry after a restart) keeps its GPUs and is never part of a rollback.
            var rest = pending.Except(alreadyPlaced).ToArray();
            var kept = alreadyPlaced.Select(member => AllocationDecision.Placed(allocator.State.Allocations[member.WorkerId]));
            return [.. kept, .. rest.Length == 0 ? [] : Decide(allocator, groupKey, rest, now)];
        }

        var missing = Math.Max(0, required - placedBefore);
        if (pending.Count < missing)
        {
            var waiting = $"gang {groupKey} waits for members: {placedBefore + pending.Count} of {required} required are pending or placed";
            return [.. pending.Select(member => AllocationDecision.Unschedulable(member, waiting))];
        }

        var decisions = new List<AllocationDecision>(pending.Count);
        foreach (var member in pending)
        {
            decisions.Add(allocator.Place(member, now, allowPreemption: true));
        }

        var placed = decisions.Count(decision => decision.Kind != DecisionKind.Unschedulable);
        if (placed >= missing)
        {
            return decisions;
        }

        RollBack(allocator, decisions);
        var firstMiss = decisions.First(decision => decision.Kind == DecisionKind.Unschedulable);
        var reason = $"gang {groupKey}: only {placedBefore + placed} of {required} required members fit together " +
                     $"({firstMiss.Request.Worker}: {firstMiss.Reason}); nothing is held while it waits";
        return [.. pending.Select(member => AllocationDecision.Unschedulable(member, reason))];
    }

    /// <summary>Undoes placements newest first, then restores their victims, leaving state and quotas as before.</summary>
    private static void RollBack(BatchAllocator allocator, List<AllocationDecision> decisions)
    {
        for (var i = decisions.Count - 1; i >= 0; i--)
        {
            var decision = decisions[i];
            if (decision.Allocation is { } allocation && decision.Kind != DecisionKind.Unschedulable)
            {
                allocator.Release(allocation.WorkerId);
                foreach (var victim in decision.Victims)
                {
                    allocator.Restore(victim);
                }
            }
        }
    }
}
