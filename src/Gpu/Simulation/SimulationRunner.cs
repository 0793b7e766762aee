using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Gpu.Simulation;

/// <summary>
/// Runs the batch allocator over a simulated fleet. Decisions use one fixed instant (the clock's now), so eviction
/// protection is honoured throughout the run; elapsed time is measured with the same <see cref="TimeProvider"/>.
/// Progress lines go to a callback, so this pure project writes nowhere itself (the CLI sends them to stderr).
/// </summary>
public static class SimulationRunner
{
    /// <summary>Inputs at least this large report progress.</summary>
    public const int ProgressThreshold = 5_000;

    public static SimulationReport Run(SimulationInput input, TimeProvider clock, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(progress);
        var state = new ClusterState(input.Nodes, input.Pools, input.Catalog);
        var allocator = new BatchAllocator(state, new QuotaLedger(input.Quotas));
        var now = clock.GetUtcNow();
        var batchSize = input.BatchSize > 0 ? input.BatchSize : Math.Max(1, input.Requests.Count);
        var showProgress = input.Requests.Count >= ProgressThreshold;
        var decisions = new List<AllocationDecision>(input.Requests.Count);

        var started = clock.GetTimestamp();
        for (var offset = 0; offset < input.Requests.Count; offset += batchSize)
        {
            if (showProgress)
            {
                progress($"simulate: placing requests {offset + 1}-{Math.Min(offset + batchSize, input.Requests.Count)} of {input.Requests.Count} on {state.Gpus.Count} GPUs");
            }

            decisions.AddRange(allocator.Solve(input.Requests.Skip(offset).Take(batchSize), now));
        }

        var elapsed = clock.GetElapsedTime(started);
        if (showProgress)
        {
            progress($"simulate: {decisions.Count} decisions in {elapsed.TotalMilliseconds:0} ms");
        }

        return BuildReport(state, decisions, input.Requests.Count, elapsed);
    }

    private static SimulationReport BuildReport(ClusterState state, List<AllocationDecision> decisions, int requests, TimeSpan elapsed)
    {
        // A worker may have several decisions (placed, preempted, placed again): the final state says where it is.
        var placements = decisions
            .Where(decision => decision.Allocation is { } allocation
                               && ReferenceEquals(state.Allocations.GetValueOrDefault(allocation.WorkerId), allocation))
            .Select(decision => decision.Allocation!)
            .Select(allocation => new PlacementRow(
                $"{allocation.Request.Namespace}/{allocation.Request.Workload}",
                allocation.Request.Worker,
                allocation.Node,
                [.. allocation.Shares.Select(share => share.Gpu)],
                allocation.Shares[0].Request.Tflops,
                allocation.Shares[0].Request.VramBytes,
                allocation.Shares[0].Partition))
            .ToList();

        var unschedulable = decisions
            .Where(decision => decision.Kind == DecisionKind.Unschedulable && !state.Allocations.ContainsKey(decision.Request.WorkerId))
            .GroupBy(decision => decision.Request.WorkerId, StringComparer.Ordinal)
            .Select(group => group.Last())
            .Select(decision => new UnschedulableRow(
                $"{decision.Request.Namespace}/{decision.Request.Workload}", decision.Request.Worker, decision.Reason ?? "no node fits"))
            .ToList();

        var gpus = state.Nodes.SelectMany(node => node.Gpus)
            .Select(gpu => new GpuRow(
                gpu.Name,
                gpu.Node.Name,
                gpu.Model.Name,
                new ResourceRow(gpu.Capacity.Tflops, gpu.Capacity.VramBytes),
                new ResourceRow((gpu.Capacity - gpu.Available).Tflops, (gpu.Capacity - gpu.Available).VramBytes),
                gpu.Mig is { InstanceCount: > 0 } mig ? new MigRow(mig.InstanceCount, mig.StrandedMemorySlices, mig.StrandedComputeSlices) : null))
            .ToList();

        var milliseconds = elapsed.TotalMilliseconds;
        var bound = PackingBound.Compute(state, state.Allocations.Values);
        var summary = new SimulationSummary(
            requests,
            placements.Count,
            unschedulable.Count,
            decisions.Sum(decision => decision.Victims.Count),
            PackingBound.GpusUsed(state),
            bound.Gpus,
            bound.Method,
            bound.VolumeGpus,
            Math.Round(milliseconds, 3),
            milliseconds > 0 ? Math.Round(decisions.Count / (milliseconds / 1000.0), 1) : 0);
        return new SimulationReport(placements, unschedulable, gpus, summary);
    }
}
