using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>In-place resize of a workload's workers: allocator, then pod annotations, then agent plans; all or none.</summary>
public sealed partial class AllocationPipeline : IWorkloadResizer
{
    public async Task<ResizeOutcome> ResizeWorkloadAsync(
        string workloadNamespace, string workload, GpuResources request, GpuResources limit, CancellationToken cancellationToken)
    {
        var resized = new List<(WorkerAllocation Before, WorkerAllocation After)>();
        lock (_gate)
        {
            var workers = _engine.State.Allocations.Values
                .Where(allocation => allocation.Request.Namespace == workloadNamespace && allocation.Request.Workload == workload)
                .OrderBy(allocation => allocation.WorkerId, StringComparer.Ordinal)
                .ToArray();
            foreach (var before in workers)
            {
                var result = _engine.Allocator.Resize(before.WorkerId, request, limit);
                if (!result.Succeeded)
                {
                    RollBackLocked(resized);
                    return new ResizeOutcome(0, $"worker {before.WorkerId} on node {before.Node}: {result.Error}");
                }

                resized.Add((before, result.Allocation!));
            }
        }

        var written = new List<(WorkerAllocation Before, WorkerAllocation After)>();
        foreach (var pair in resized)
        {
            var outcome = await _writer.UpdateAllocationAsync(pair.After, cancellationToken);
            if (outcome == WriteOutcome.Failed)
            {
                // Put back the annotations already rewritten, then the allocator state.
                foreach (var done in written)
                {
                    await _writer.UpdateAllocationAsync(done.Before, cancellationToken);
                }

                lock (_gate)
                {
                    RollBackLocked(resized);
                }

                return new ResizeOutcome(0, $"worker {pair.After.WorkerId}: writing its annotations failed");
            }

            written.Add(pair);
        }

        PublishNodes([.. resized.Select(pair => pair.After.Node)]);
        return new ResizeOutcome(resized.Count, null);
    }

    private void RollBackLocked(List<(WorkerAllocation Before, WorkerAllocation After)> resized)
    {
        foreach (var (before, _) in Enumerable.Reverse(resized))
        {
            var share = before.Shares[0];
            _engine.Allocator.Resize(before.WorkerId, share.Request, share.Limit);
        }
    }
}
