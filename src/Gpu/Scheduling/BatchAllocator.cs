using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// Places batches of requests against one cluster state. A batch is solved in <see cref="BatchOrder"/>; a request that
/// does not fit may preempt strictly lower-QoS workers; evicted workers are tried again at the end of the batch without
/// preempting anyone. Members of a gang are decided together, at the position of their first member, all or nothing
/// (<see cref="GangPlacement"/>). Deterministic: the same state and batch give the same decisions. Time is a parameter.
/// </summary>
public sealed class BatchAllocator
{
    private readonly List<GpuCandidate> _buffer = new(16);
    private readonly PlacementSearch _search;

    public BatchAllocator(ClusterState state, QuotaLedger? quotas = null, PlacementSearch search = PlacementSearch.Indexed)
    {
        State = state;
        Quotas = quotas ?? new QuotaLedger([]);
        _search = search;
        foreach (var allocation in state.Allocations.Values)
        {
            Quotas.Add(allocation.Request);
        }
    }

    public ClusterState State { get; }

    public QuotaLedger Quotas { get; }

    /// <summary>Solves a batch: decisions in placement order, followed by the decisions for re-placing preempted workers.</summary>
    public IReadOnlyList<AllocationDecision> Solve(IEnumerable<AllocationRequest> batch, DateTimeOffset now)
    {
        var decisions = new List<AllocationDecision>();
        var evicted = new List<(WorkerAllocation Victim, string Preemptor)>();
        var ordered = BatchOrder.Sort(batch);
        var gangs = ordered.Where(request => request.Gang is not null)
            .GroupBy(request => request.Gang!.GroupKey, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<AllocationRequest>)[.. group], StringComparer.Ordinal);
        foreach (var request in ordered)
        {
            IReadOnlyList<AllocationDecision> placed;
            if (request.Gang is { } gang)
            {
                if (!gangs.Remove(gang.GroupKey, out var members))
                {
                    continue; // Decided with the gang's first member.
                }

                placed = GangPlacement.Decide(this, gang.GroupKey, members, now);
            }
            else
            {
                placed = [Place(request, now, allowPreemption: true)];
            }

            foreach (var decision in placed)
            {
                decisions.Add(decision);
                evicted.AddRange(decision.Victims.Select(victim => (victim, decision.Request.WorkerId)));
            }
        }

        foreach (var (victim, preemptor) in evicted)
        {
            var retry = Place(victim.Request, now, allowPreemption: false);
            decisions.Add(retry.Kind == DecisionKind.Unschedulable
                ? retry with { Reason = $"preempted by {preemptor} and not placed again: {retry.Reason}" }
                : retry);
        }

        return decisions;
    }

    /// <summary>Places one request now (no batch ordering).</summary>
    public AllocationDecision Place(AllocationRequest request, DateTimeOffset now, bool allowPreemption = true)
    {
        if (State.Allocations.TryGetValue(request.WorkerId, out var existing))
        {
            return AllocationDecision.Placed(existing);
        }

        if (Validate(request) is { } invalid)
        {
            return AllocationDecision.Unschedulable(request, invalid);
        }

        if (!State.Pools.TryGetValue(request.Pool, out var pool))
        {
            return AllocationDecision.Unschedulable(request, $"GPU pool '{request.Pool}' not found");
        }

        GpuModel? model = null;
        if (request.GpuModel is { Length: > 0 } modelName && (model = State.Catalog.TryFind(modelName)) is null)
        {
            return AllocationDecision.Unschedulable(request, $"unknown GPU model '{modelName}'");
        }

        if (Quotas.Check(request) is { } quotaError)
        {
            return AllocationDecision.Unschedulable(request, quotaError);
        }

        var context = new RequestContext(request, model, pool);
        string? explanation = null;
        var choice = _search == PlacementSearch.Indexed
            ? PlacementSearcher.FindIndexed(State, context, _buffer)
            : PlacementSearcher.FindByScan(State, context, _buffer, out explanation);
        if (choice is null && _search == PlacementSearch.Indexed)
        {
            // The index is only a shortcut: a full scan decides (and explains) every miss.
            choice = PlacementSearcher.FindByScan(State, context, _buffer, out explanation);
        }

        if (choice is not null)
        {
            return AllocationDecision.Placed(Commit(request, choice.Node, choice.Gpus, now));
        }

        if (allowPreemption && request.Qos > QosLevel.Low
            && Preemptor.FindVictims(State, context, now, _buffer) is { } preemption)
        {
            foreach (var victim in preemption.Victims)
            {
                State.Release(victim.WorkerId);
                Quotas.Remove(victim.Request);
            }

            if (NodeFitter.Fit(preemption.Node, context, _buffer) == FilterStage.Passed)
            {
                return AllocationDecision.Preempted(Commit(request, preemption.Node, [.. _buffer], now), preemption.Victims);
            }

            foreach (var victim in preemption.Victims)
            {
                State.Apply(victim);
                Quotas.Add(victim.Request);
            }
        }

        return AllocationDecision.Unschedulable(request, explanation ?? "no node fits");
    }

    /// <summary>Removes a worker's allocation (and its quota usage).</summary>
    public WorkerAllocation? Release(string workerId)
    {
        var released = State.Release(workerId);
        if (released is not null)
        {
            Quotas.Remove(released.Request);
        }

        return released;
    }

    /// <summary>Puts back an allocation released in this batch (a victim of a rolled-back gang placement).</summary>
    internal void Restore(WorkerAllocation allocation)
    {
        State.Apply(allocation);
        Quotas.Add(allocation.Request);
    }

    /// <summary>Adjusts a placed worker's per-GPU request and limit in place; atomic, rolled back on failure.</summary>
    public ResizeResult Resize(string workerId, GpuResources request, GpuResources limit) =>
        InPlaceResizer.Resize(State, Quotas, workerId, request, limit);

    private WorkerAllocation Commit(AllocationRequest request, NodeState node, IReadOnlyList<GpuCandidate> gpus, DateTimeOffset now)
    {
        var shares = new GpuShare[gpus.Count];
        for (var i = 0; i < gpus.Count; i++)
        {
            shares[i] = gpus[i].ToShare();
        }

        var allocation = new WorkerAllocation(request, node.Name, shares, now);
        State.Apply(allocation);
        Quotas.Add(request);
        return allocation;
    }

    private static string? Validate(AllocationRequest request)
    {
        if (request.GpuCount is < 1 or > 128)
        {
            return $"gpuCount must be 1-128, got {request.GpuCount}";
        }

        if (request.ComputePercentRequest is < 0 or > 100 || request.ComputePercentLimit is < 0 or > 100)
        {
            return "compute percent must be between 0 and 100";
        }

        if (request.Request.MilliTflops < 0 || request.Request.VramBytes < 0)
        {
            return "requests must not be negative";
        }

        return request.GpuIndices is { Count: > 0 } indices && indices.Count != request.GpuCount
            ? $"gpuIndices lists {indices.Count} GPUs but gpuCount is {request.GpuCount}"
            : null;
    }
}
