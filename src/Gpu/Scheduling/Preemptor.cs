using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// Finds the cheapest set of victims that lets a request fit on one node. Only workers of strictly lower QoS whose
/// eviction-protection period has passed are eligible. Per node, victims are released lowest QoS first (larger first
/// within a QoS) until the request fits, then any victim not needed is put back. Across nodes the set with the lowest
/// highest-victim QoS wins, then the fewest victims, then the least VRAM evicted, then inventory order. Members of a
/// placed gang are never victims: evicting one would leave the rest of the gang holding GPUs below its quorum.
/// </summary>
internal static class Preemptor
{
    public static (NodeState Node, IReadOnlyList<WorkerAllocation> Victims)? FindVictims(
        ClusterState state, RequestContext context, DateTimeOffset now, List<GpuCandidate> buffer)
    {
        var qos = context.Request.Qos;
        (NodeState Node, List<WorkerAllocation> Victims, (int MaxQos, int Count, long Vram) Cost)? best = null;
        foreach (var node in state.NodesIn(context.Pool.Name))
        {
            var eligible = node.Allocations
                .Where(allocation => allocation.Qos < qos && now >= allocation.ProtectedUntil && allocation.Request.Gang is null)
                .OrderBy(allocation => allocation.Qos)
                .ThenByDescending(allocation => allocation.TotalVramBytes)
                .ThenBy(allocation => allocation.WorkerId, StringComparer.Ordinal)
                .ToList();
            if (eligible.Count == 0 || !context.AffinityMatches(node))
            {
                continue;
            }

            var victims = TrySimulate(state, node, eligible, context, buffer);
            if (victims is null)
            {
                continue;
            }

            var cost = ((int)victims.Max(victim => victim.Qos), victims.Count, victims.Sum(victim => victim.TotalVramBytes));
            if (best is null || cost.CompareTo(best.Value.Cost) < 0)
            {
                best = (node, victims, cost);
            }
        }

        return best is { } found ? (found.Node, found.Victims) : null;
    }

    /// <summary>Releases candidates until the request fits, prunes the ones not needed, and always restores the state.</summary>
    private static List<WorkerAllocation>? TrySimulate(
        ClusterState state, NodeState node, List<WorkerAllocation> eligible, RequestContext context, List<GpuCandidate> buffer)
    {
        var released = new List<WorkerAllocation>();
        var fits = false;
        foreach (var victim in eligible)
        {
            state.Release(victim.WorkerId);
            released.Add(victim);
            if (NodeFitter.Fit(node, context, buffer) == FilterStage.Passed)
            {
                fits = true;
                break;
            }
        }

        if (!fits)
        {
            Restore(state, released);
            return null;
        }

        // Put back, highest priority first, every victim whose return still leaves room for the request.
        for (var i = released.Count - 2; i >= 0; i--)
        {
            state.Apply(released[i]);
            if (NodeFitter.Fit(node, context, buffer) == FilterStage.Passed)
            {
                released.RemoveAt(i);
            }
            else
            {
                state.Release(released[i].WorkerId);
            }
        }

        Restore(state, released);
        return released;
    }

    private static void Restore(ClusterState state, List<WorkerAllocation> released)
    {
        foreach (var allocation in released)
        {
            state.Apply(allocation);
        }
    }
}
