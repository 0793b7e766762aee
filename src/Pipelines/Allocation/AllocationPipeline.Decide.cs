using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>The decision stage, first half: take a batch, map each pod alone, solve it (a gang as one transaction).</summary>
public sealed partial class AllocationPipeline
{
    private async Task DecideAndPersistAsync(PendingWorker[] batch)
    {
        if (Volatile.Read(ref _draining) == 1)
        {
            // Stopping gracefully: a batch not yet started is left to the next leader (its workers are pending pods).
            return;
        }

        var token = _stopping.Token;
        Interlocked.Exchange(ref _deciding, 1);
        var solvedAt = long.MaxValue;
        try
        {
            await _rebuilt.Task.WaitAsync(token);
            var outcomes = await PersistAsync(Decide(batch, out solvedAt), token);
            BatchCompleted?.Invoke(outcomes);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: what was not persisted stays pending on the pods and is decided after the restart.
        }
#pragma warning disable CA1031 // A Dataflow body must never throw: a failed batch fails its own workers, never the pipeline.
        catch (Exception e)
#pragma warning restore CA1031
        {
            FailBatch(batch, e);
        }
        finally
        {
            Interlocked.Exchange(ref _deciding, 0);
            bool waiting;
            bool capacityChanged;
            lock (_gate)
            {
                waiting = _queued.Count > 0;
                capacityChanged = _capacityVersion != solvedAt && solvedAt != long.MaxValue && _parked.Count > 0;
            }

            if (capacityChanged && !token.IsCancellationRequested)
            {
                // Not awaited here: the batcher may be full behind this very stage.
                _ = RetryParkedAsync();
            }

            if (waiting && NothingWaitsForTheDecider && !token.IsCancellationRequested)
            {
                // Whatever gathered while this batch was decided goes now, as one batch.
                _batcher.TriggerBatch();
            }
        }
    }

    private List<(PendingWorker Worker, AllocationDecision Decision)> Decide(PendingWorker[] batch, out long capacityVersion)
    {
        var now = _time.GetUtcNow();
        var decisions = new List<(PendingWorker, AllocationDecision)>(batch.Length);
        lock (_gate)
        {
            capacityVersion = _capacityVersion;
            var requests = new List<AllocationRequest>(batch.Length);
            var workers = new Dictionary<string, PendingWorker>(StringComparer.Ordinal);
            foreach (var queued in batch)
            {
                _queued.Remove(queued.WorkerId);
                var worker = queued;
                if (CurrentPod is { } current)
                {
                    var parts = queued.WorkerId.Split('/', 2);
                    if (current(parts[0], parts[1]) is not { } pod || !WorkerRequestMapper.IsPendingWorker(pod))
                    {
                        // Deleted, or bound by someone else, while it waited for its batch: nothing to decide.
                        continue;
                    }

                    worker = queued with { Pod = pod };
                }

                MapInto(worker, requests, workers, decisions);
            }

            // A gang is decided whole: its members parked by earlier batches join this one.
            foreach (var peer in GangBatching.ParkedPeers(requests, _parked.Values))
            {
                _parked.Remove(peer.WorkerId);
                MapInto(peer, requests, workers, decisions);
            }

            foreach (var group in requests.GroupBy(request => request.Pool, StringComparer.Ordinal))
            {
                _metrics?.RecordBatch(group.Key, group.Count());
            }

            var evicted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var decision in _engine.Allocator.Solve(requests, now))
            {
                evicted.UnionWith(decision.Victims.Select(victim => victim.WorkerId));
                if (evicted.Contains(decision.Request.WorkerId))
                {
                    // A victim re-placed in the same batch: its pod is being evicted, the replacement pod will ask again.
                    _engine.Allocator.Release(decision.Request.WorkerId);
                    continue;
                }

                decisions.Add((workers[decision.Request.WorkerId], GangBatching.MarkTimedOut(decision, GangWaitingSince(decision, workers), now)));
            }
        }

        return decisions;
    }

    /// <summary>A worker whose pod or workload cannot be read into a request is refused alone, with the reason.</summary>
    private WorkerMapping MapOrRefuse(PendingWorker worker)
    {
        try
        {
            return WorkerRequestMapper.Map(worker.Pod, _engine.Inventory.DefaultQosOf);
        }
#pragma warning disable CA1031 // Whatever a stored object holds, it must not stop the batch: it becomes this worker's reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return WorkerMapping.Invalid($"pod {worker.WorkerId}: its request could not be read ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// A batch that failed past its decisions (a bug, or a write path fault that was not a plain API error): its workers
    /// wait as unschedulable and are tried again on the next capacity change or resubmission; the pipeline goes on.
    /// A worker the failed batch already placed keeps its placement (its bind may have gone through; releasing it could
    /// give its GPUs twice): the next leader's rebuild, or the pod's deletion, settles it.
    /// </summary>
    private void FailBatch(PendingWorker[] batch, Exception fault)
    {
        LogBatchFailed(_logger, batch.Length, fault);
        _metrics?.CountBatchFailure();
        lock (_gate)
        {
            foreach (var worker in batch)
            {
                _queued.Remove(worker.WorkerId);
                if (!_engine.State.Allocations.ContainsKey(worker.WorkerId))
                {
                    _parked[worker.WorkerId] = worker;
                }
            }
        }

        UpdateUnschedulableGauge();
    }

    private void MapInto(
        PendingWorker worker, List<AllocationRequest> requests, Dictionary<string, PendingWorker> workers,
        List<(PendingWorker, AllocationDecision)> decisions)
    {
        var mapping = MapOrRefuse(worker);
        if (mapping.Request is { } request)
        {
            requests.Add(request);
            workers[request.WorkerId] = worker;
            return;
        }

        var invalid = new AllocationRequest { Namespace = "-", Workload = "-", Worker = worker.WorkerId, Pool = "-" };
        decisions.Add((worker, AllocationDecision.Unschedulable(invalid, mapping.Error!)));
    }

    /// <summary>When the gang of a decision started waiting: its earliest member in the batch (the worker itself otherwise).</summary>
    private static DateTimeOffset GangWaitingSince(AllocationDecision decision, Dictionary<string, PendingWorker> workers) =>
        decision.Request.Gang is { } gang
            ? workers.Values.Where(worker => GangBatching.BelongsTo(worker, gang.GroupKey))
                .Select(worker => worker.SeenAt).DefaultIfEmpty(workers[decision.Request.WorkerId].SeenAt).Min()
            : workers[decision.Request.WorkerId].SeenAt;
}
