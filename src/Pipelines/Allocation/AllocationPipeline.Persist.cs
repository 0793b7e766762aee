using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>The decision stage: solve a batch, persist it, publish the touched nodes.</summary>
public sealed partial class AllocationPipeline
{
    private async Task DecideAndPersistAsync(PendingWorker[] batch)
    {
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

    private async Task<List<WorkerOutcome>> PersistAsync(
        List<(PendingWorker Worker, AllocationDecision Decision)> decisions, CancellationToken token)
    {
        var outcomes = new WorkerOutcome[decisions.Count];
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.PersistParallelism, CancellationToken = token };

        // Victims go first: a winner is bound only after every one of its victims is evicted.
        var evictionFailed = new HashSet<int>();
        var victims = decisions.Select((entry, index) => (entry.Decision, index))
            .SelectMany(pair => pair.Decision.Victims.Select(victim => (Victim: victim, pair.Decision, Index: pair.index)))
            .ToArray();
        await Parallel.ForEachAsync(victims, parallel, async (entry, ct) =>
        {
            var result = await _writer.EvictAsync(entry.Victim, entry.Decision.Request.WorkerId, ct);
            lock (evictionFailed)
            {
                if (result == WriteOutcome.Failed)
                {
                    evictionFailed.Add(entry.Index);
                }

                touched.Add(entry.Victim.Node);
            }

            _metrics?.RecordPreemption(entry.Victim.Request.Pool);
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, decisions.Count), parallel, async (index, ct) =>
        {
            var (worker, decision) = decisions[index];
            outcomes[index] = decision.Allocation is { } allocation
                ? await BindAsync(worker, decision, allocation, evictionFailed.Contains(index), ct)
                : await ParkAsync(worker, decision.Reason ?? "no node fits", ct);
            if (outcomes[index].Node is { } node)
            {
                lock (touched)
                {
                    touched.Add(node);
                }
            }
        });

        PublishNodes(touched);
        UpdateUnschedulableGauge();
        return [.. outcomes];
    }

    private async Task<WorkerOutcome> BindAsync(
        PendingWorker worker, AllocationDecision decision, WorkerAllocation allocation, bool victimsStillThere, CancellationToken token)
    {
        var gpus = allocation.Shares.Select(share => share.Gpu).ToArray();
        var result = victimsStillThere ? WriteOutcome.Failed : await _writer.BindAsync(worker.Pod, allocation, token);
        if (result == WriteOutcome.Done)
        {
            lock (_gate)
            {
                _placedUids[worker.WorkerId] = worker.Pod.Metadata?.Uid;
            }

            _metrics?.RecordDecision(allocation.Request.Pool, decision.Kind, _time.GetUtcNow() - worker.SeenAt);
            return new WorkerOutcome(worker.WorkerId, decision.Kind, allocation.Node, gpus, null, result);
        }

        lock (_gate)
        {
            _engine.Allocator.Release(worker.WorkerId);
            if (victimsStillThere)
            {
                // The victims keep running: put them back so the state matches the cluster.
                foreach (var victim in decision.Victims)
                {
                    _engine.State.Apply(victim);
                    _engine.Allocator.Quotas.Add(victim.Request);
                }
            }
        }

        if (result == WriteOutcome.Failed)
        {
            ScheduleRetry(worker);
        }

        var reason = victimsStillThere ? "a preemption victim could not be evicted" : result == WriteOutcome.Gone ? "pod is gone" : "bind failed";
        return new WorkerOutcome(worker.WorkerId, decision.Kind, allocation.Node, gpus, reason, result);
    }

    private async Task<WorkerOutcome> ParkAsync(PendingWorker worker, string reason, CancellationToken token)
    {
        // Parked before the report is written: the pod update the report causes must find the worker already waiting.
        lock (_gate)
        {
            _parked[worker.WorkerId] = worker;
        }

        var result = await _writer.ReportUnschedulableAsync(worker.Pod, reason, token);
        if (result == WriteOutcome.Gone)
        {
            lock (_gate)
            {
                _parked.Remove(worker.WorkerId);
            }
        }

        var pool = MetadataValues.Get(worker.Pod.Metadata?.Annotations, Api.Conventions.Annotations.GpuPool) ?? "-";
        _metrics?.RecordDecision(pool, DecisionKind.Unschedulable, TimeSpan.Zero);
        return new WorkerOutcome(worker.WorkerId, DecisionKind.Unschedulable, null, [], reason, result);
    }

    private void ScheduleRetry(PendingWorker worker) => _ = RetryLaterAsync(worker);

    /// <summary>Capacity changed while a batch was being decided: its parked workers are tried again now.</summary>
    private async Task RetryParkedAsync()
    {
        try
        {
            // Not a capacity change itself (it does not bump the version): two batches cannot keep retrying each other.
            List<PendingWorker> retry;
            lock (_gate)
            {
                retry = [.. _parked.Values];
            }

            foreach (var worker in retry)
            {
                await SubmitAsync(worker.Pod, _stopping.Token);
            }

            // At once, not after the next batch window: they have waited one batch already.
            _batcher.TriggerBatch();
        }
        catch (OperationCanceledException)
        {
            // Stopping: the pods stay pending and are picked up after the restart.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    }

    private async Task RetryLaterAsync(PendingWorker worker)
    {
        try
        {
            await Task.Delay(_options.WriteRetryDelay, _time, _stopping.Token);
            await SubmitAsync(worker.Pod, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the pod stays pending and is picked up after the restart.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while waiting.
        }
    }

    /// <summary>Sends the new plan of each touched node to its agent and queues its status aggregates (written in the background).</summary>
    private void PublishNodes(HashSet<string> nodes)
    {
        if (nodes.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var node in nodes.Order(StringComparer.Ordinal))
            {
                _agents.Send(NodePlanBuilder.Build(_engine.State, node, _engine.NextGeneration(node, now), _engine.Inventory.DeviceUuid));
            }
        }

        MarkStatusDirty(nodes);
    }

    private void UpdateUnschedulableGauge()
    {
        if (_metrics is null)
        {
            return;
        }

        Dictionary<string, int> byPool;
        string[] pools;
        lock (_gate)
        {
            byPool = _parked.Values
                .GroupBy(worker => MetadataValues.Get(worker.Pod.Metadata?.Annotations, Api.Conventions.Annotations.GpuPool) ?? "-", StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            pools = [.. _engine.State.Pools.Keys];
        }

        _metrics.SetUnschedulable(byPool, pools);
    }
}
