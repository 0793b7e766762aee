using System.Threading.Tasks.Dataflow;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// Pending workers (offered by key from the pod cache, see <see cref="OfferAsync"/>) → <see cref="BatchBlock{T}"/> (by size, and by time through a <see cref="TimeProvider"/> timer) →
/// one decision stage (DOP=1: each batch, and each in-place resize, works against one consistent state) → persist (evict victims, then
/// bind winners with their allocation annotations, report the unschedulable) → per-node plans to the agents and status aggregates.
/// Unschedulable workers wait until capacity changes. No decision is taken before <see cref="StartAsync"/> has
/// rebuilt the state from the pods.
/// </summary>
public sealed partial class AllocationPipeline : IAsyncDisposable
{
    private readonly AllocationEngine _engine;
    private readonly IAllocationWriter _writer;
    private readonly NodePlanDispatcher _agents;
    private readonly AllocationMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly AllocationPipelineOptions _options;
    private readonly ILogger _logger;
    private readonly BatchBlock<PendingWorker> _batcher;
    private readonly TransformBlock<PendingWorker[], DecisionWork> _batches;
    private readonly ActionBlock<DecisionWork> _decider;
    private readonly ITimer _flushTimer;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingWorker> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingWorker> _parked = new(StringComparer.Ordinal);

    // The UID of the pod each placed worker was bound as: a pod offered under the same name with another UID is a
    // replacement (its predecessor's delete may have been coalesced with its add in the key queue), never the same worker.
    private readonly Dictionary<string, string?> _placedUids = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private int _deciding;
    private int _draining;

    // Bumped under the gate on every capacity change. A batch notes it when it solves; workers it parks after a change
    // they did not see are retried at once (between the solve and the parking they are neither queued nor parked, so
    // the change's own retry misses them: a lost wake-up that left a gang waiting beside free GPUs).
    private long _capacityVersion;

    public AllocationPipeline(
        AllocationEngine engine,
        IAllocationWriter writer,
        NodePlanDispatcher agents,
        TimeProvider time,
        AllocationPipelineOptions? options = null,
        AllocationMetrics? metrics = null)
    {
        _engine = engine;
        _writer = writer;
        _agents = agents;
        _time = time;
        _metrics = metrics;
        _options = options ?? new AllocationPipelineOptions();
        _logger = _options.Logger;
        _batcher = new BatchBlock<PendingWorker>(
            _options.MaxBatchSize, new GroupingDataflowBlockOptions { BoundedCapacity = _options.MaxBatchSize * 4 });
        _batches = new TransformBlock<PendingWorker[], DecisionWork>(
            batch => new PlacementBatch(batch), new ExecutionDataflowBlockOptions { BoundedCapacity = 1 });
        _decider = new ActionBlock<DecisionWork>(
            work => work is ResizeWork resize ? ResizeInStageAsync(resize) : DecideAndPersistAsync(((PlacementBatch)work).Workers),
            new ExecutionDataflowBlockOptions { BoundedCapacity = 2, MaxDegreeOfParallelism = 1 });
        _batcher.LinkTo(_batches, new DataflowLinkOptions { PropagateCompletion = true });
        _batches.LinkTo(_decider, new DataflowLinkOptions { PropagateCompletion = true });
        _flushTimer = time.CreateTimer(_ => FlushWhenIdle(), null, _options.BatchWindow, _options.BatchWindow);
    }

    /// <summary>
    /// The freshest copy of a pod (the operator's informer cache). When set, a queued worker that was bound elsewhere or
    /// deleted before its batch is dropped, and the others are decided on their current annotations.
    /// </summary>
    public Func<string, string, V1Pod?>? CurrentPod { get; init; }

    /// <summary>Raised after each batch is persisted, with one outcome per worker decided.</summary>
    public event Action<IReadOnlyList<WorkerOutcome>>? BatchCompleted;

    /// <summary>Raised when a rebuild or inventory change finds contradicting allocations (also in the returned report).</summary>
    public event Action<string>? ConflictFound;

    /// <summary>
    /// Raised once a new inventory is in the allocator's state (before its status is written): from then on every
    /// batch decides against it. The caches see a change first; this says when the allocator does.
    /// </summary>
    public event Action? InventoryApplied;

    public NodePlanDispatcher Agents => _agents;

    /// <summary>Completes when the graph stops; faults when it faults (the host then stops).</summary>
    public Task Completion => _decider.Completion;

    /// <summary>Workers now waiting for capacity.</summary>
    public int ParkedCount
    {
        get { lock (_gate) { return _parked.Count; } }
    }

    /// <summary>Reads the allocator's state under the pipeline's gate (for status readers and tests).</summary>
    public T Read<T>(Func<ClusterState, T> reader)
    {
        lock (_gate)
        {
            return reader(_engine.State);
        }
    }

    /// <summary>
    /// Rebuilds the allocator from every worker pod (bound ones carry their allocation), pushes every node's plan so
    /// agents drop allocations whose pod is gone, writes status, then queues the pending workers.
    /// </summary>
    public async Task<RebuildReport> StartAsync(AllocationInventory inventory, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var conflicts = new List<string>();
        var recorded = new List<WorkerAllocation>();
        var pending = new List<V1Pod>();
        var placedUids = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Status?.Phase is "Succeeded" or "Failed" || pod.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            var (allocation, error) = AllocationAnnotations.Read(pod);
            if (error is not null)
            {
                conflicts.Add(error);
            }
            else if (allocation is not null)
            {
                recorded.Add(allocation);
                placedUids[allocation.WorkerId] = pod.Metadata?.Uid;
            }
            else if (WorkerRequestMapper.IsPendingWorker(pod))
            {
                pending.Add(pod);
            }
        }

        CapacityReport report;
        lock (_gate)
        {
            var result = _engine.Rebuild(inventory, recorded);
            _placedUids.Clear();
            foreach (var (worker, uid) in placedUids)
            {
                _placedUids[worker] = uid;
            }

            conflicts.AddRange(result.Conflicts.Select(conflict => conflict.Message));
            foreach (var node in result.State.Nodes)
            {
                _agents.Send(NodePlanBuilder.Build(result.State, node.Name, _agents.Generations.Next(node.Name), _engine.Inventory.DeviceUuid));
            }

            report = CapacityReport.Build(result.State);
        }

        foreach (var conflict in conflicts)
        {
            ConflictFound?.Invoke(conflict);
        }

        await _writer.WriteStatusAsync(report, cancellationToken);
        _metrics?.Prepare(inventory.Pools.Select(pool => pool.Name));
        _metrics?.RecordCapacity(report);
        _rebuilt.TrySetResult();
        foreach (var pod in pending)
        {
            await OfferAsync(pod, cancellationToken);
        }

        return new RebuildReport(recorded.Count, pending.Count, conflicts);
    }

    /// <summary>
    /// GPUs, nodes, pools or quotas changed: takes the new inventory (null keeps the current one) and retries every
    /// waiting worker. This, not a timer, is what retries unschedulable workers.
    /// </summary>
    public async Task CapacityChangedAsync(AllocationInventory? inventory, CancellationToken cancellationToken)
    {
        string[] nodes = [];
        lock (_gate)
        {
            if (inventory is not null)
            {
                foreach (var conflict in _engine.UpdateInventory(inventory).Conflicts)
                {
                    ConflictFound?.Invoke(conflict.Message);
                }

                nodes = [.. _engine.State.Nodes.Select(node => node.Name)];
            }

            _capacityVersion++;
        }

        if (inventory is not null)
        {
            InventoryApplied?.Invoke();
            _metrics?.Prepare(inventory.Pools.Select(pool => pool.Name));
            // New or changed GPUs, nodes or pools: every aggregate is written again from the allocator's view, by the
            // status loop (the one status writer after the rebuild), never inline: a slow write must not hold up the
            // next inventory change, such as a GPU that fell sick meanwhile.
            MarkStatusDirty(nodes);
        }

        await ResubmitParkedAsync(cancellationToken);
    }

    /// <summary>Queues every waiting worker again (each decided afresh in the next batch).</summary>
    private async Task ResubmitParkedAsync(CancellationToken cancellationToken)
    {
        List<PendingWorker> retry;
        lock (_gate)
        {
            retry = [.. _parked.Values];
        }

        foreach (var worker in retry)
        {
            await SubmitAsync(worker.Pod, cancellationToken);
        }
    }

    /// <summary>
    /// The timer's flush: only while no batch is being decided or waiting. While one is, workers gather and go together
    /// as the next batch the moment it ends, so batches grow with the load instead of queueing up small.
    /// </summary>
    private void FlushWhenIdle()
    {
        if (Volatile.Read(ref _deciding) == 0 && NothingWaitsForTheDecider)
        {
            _batcher.TriggerBatch();
        }
    }

    /// <summary>No batch or resize is queued in front of the decision stage.</summary>
    private bool NothingWaitsForTheDecider => _decider.InputCount == 0 && _batches.InputCount == 0 && _batches.OutputCount == 0;

    /// <summary>Flushes the current partial batch now (the timer does this every batch window).</summary>
    public void Flush() => _batcher.TriggerBatch();

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation batch of {Workers} workers failed; they wait and are retried, the pipeline goes on")]
    private static partial void LogBatchFailed(ILogger logger, int workers, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing GPU/node/pool status failed (attempt {Attempt}); the aggregates are written again after {Delay}")]
    private static partial void LogStatusWriteFailed(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    /// <summary>
    /// A graceful stop's first step: no new batch starts (workers still queued stay pending on their pods for the next
    /// leader), and the batch being decided is persisted whole. True when it finished within <paramref name="bound"/>
    /// and before <paramref name="abandon"/> completed (a lost Lease); <see cref="DisposeAsync"/> follows either way.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan bound, Task abandon)
    {
        Volatile.Write(ref _draining, 1);
        await _flushTimer.DisposeAsync();
        _batcher.Complete();
        return await Task.WhenAny(_decider.Completion, Task.Delay(bound, _time), abandon) == _decider.Completion;
    }

    public async ValueTask DisposeAsync()
    {
        await _flushTimer.DisposeAsync();
        _batcher.Complete();
        await _stopping.CancelAsync();
        await StopStatusLoopAsync();
        _rebuilt.TrySetCanceled();
        try
        {
            await _decider.Completion;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stopping.Dispose();
    }
}
