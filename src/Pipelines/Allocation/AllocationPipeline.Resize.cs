using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using TensorFusion.Estimators.Merging;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// In-place resize of a workload's workers: allocator, then pod annotations, then agent plans; all or none. A resize is
/// one more item for the decision stage, so it never interleaves with a batch being decided or persisted.
/// </summary>
public sealed partial class AllocationPipeline : IAllocationPort
{
    public async Task<ResizeOutcome> ResizeWorkloadAsync(
        string workloadNamespace, string workload, GpuResources request, GpuResources limit, CancellationToken cancellationToken)
    {
        var work = new ResizeWork(workloadNamespace, workload, request, limit);
        if (!await _decider.SendAsync(work, cancellationToken))
        {
            return new ResizeOutcome(0, "the allocation pipeline is stopping");
        }

        return await work.Done.Task.WaitAsync(cancellationToken);
    }

    public IReadOnlyList<GpuHeadroom> HeadroomOf(string workloadNamespace, string workload) =>
        Read(state => WorkloadHeadroom.From(state, workloadNamespace, workload));

    /// <summary>The decision stage's body for a resize: whatever happens, the caller gets an outcome (or a cancellation when stopping).</summary>
    private async Task ResizeInStageAsync(ResizeWork work)
    {
        var token = _stopping.Token;
        try
        {
            await _rebuilt.Task.WaitAsync(token);
            work.Done.TrySetResult(await ResizeAsync(work.Namespace, work.Workload, work.Request, work.Limit, token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            work.Done.TrySetCanceled(token);
        }
#pragma warning disable CA1031 // A Dataflow body must never throw: a failed resize fails its own caller, never the pipeline.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogResizeFailed(_logger, work.Namespace, work.Workload, e);
            work.Done.TrySetResult(new ResizeOutcome(0, $"the resize failed: {e.Message}"));
        }
    }

    private async Task<ResizeOutcome> ResizeAsync(
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

    [LoggerMessage(Level = LogLevel.Error, Message = "In-place resize of workload {Namespace}/{Workload} failed; its workers keep their resources, the pipeline goes on")]
    private static partial void LogResizeFailed(ILogger logger, string @namespace, string workload, Exception exception);
}
