using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>The decision stage, second half: persist a batch's decisions (evict, bind, report), publish the touched nodes, retry.</summary>
public sealed partial class AllocationPipeline
{
    private async Task<List<WorkerOutcome>> PersistAsync(
        List<(PendingWorker Worker, AllocationDecision Decision)> decisions, CancellationToken token)
    {
        var outcomes = new WorkerOutcome[decisions.Count];
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.PersistParallelism, CancellationToken = token };

        // Victims go first: a winner is bound only after every one of its victims is evicted. Each winner's victims are
        // asked about first (dry run): one a PodDisruptionBudget protects stops that preemption before any victim goes.
        var evictionProblems = new Dictionary<int, (EvictionOutcome Problem, List<WorkerAllocation> StillRunning)>();
        var preempting = decisions.Select((entry, index) => (entry.Decision, Index: index)).Where(pair => pair.Decision.Victims.Count > 0).ToArray();
        await Parallel.ForEachAsync(preempting, parallel, async (pair, ct) =>
        {
            var (problem, stillRunning) = await EvictVictimsAsync(pair.Decision, touched, ct);
            if (problem is not null)
            {
                lock (evictionProblems)
                {
                    evictionProblems[pair.Index] = (problem, stillRunning);
                }
            }
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, decisions.Count), parallel, async (index, ct) =>
        {
            var (worker, decision) = decisions[index];
            outcomes[index] = decision.Allocation is { } allocation
                ? await BindAsync(worker, decision, allocation, evictionProblems.TryGetValue(index, out var blocked) ? blocked : null, ct)
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

    /// <summary>
    /// Evicts the decision's victims, after a dry run over all of them: no problem when every one is gone, otherwise
    /// the first problem (a budget's refusal, or a failed write) and the victims that keep running.
    /// </summary>
    private async Task<(EvictionOutcome? Problem, List<WorkerAllocation> StillRunning)> EvictVictimsAsync(
        AllocationDecision decision, HashSet<string> touched, CancellationToken token)
    {
        foreach (var victim in decision.Victims)
        {
            var asked = await _writer.EvictAsync(victim, decision.Request.WorkerId, dryRun: true, token);
            if (asked.Outcome == WriteOutcome.Failed)
            {
                return (asked, [.. decision.Victims]);
            }
        }

        EvictionOutcome? problem = null;
        var stillRunning = new List<WorkerAllocation>();
        foreach (var victim in decision.Victims)
        {
            var result = await _writer.EvictAsync(victim, decision.Request.WorkerId, dryRun: false, token);
            lock (touched)
            {
                touched.Add(victim.Node);
            }

            if (result.Outcome == WriteOutcome.Failed)
            {
                // A budget that changed between the dry run and now: the victims already gone stay gone (as with the
                // kube-scheduler), the rest keep running and the winner waits.
                problem ??= result;
                stillRunning.Add(victim);
                continue;
            }

            _metrics?.RecordPreemption(victim.Request.Pool);
        }

        return (problem, stillRunning);
    }

    private async Task<WorkerOutcome> BindAsync(
        PendingWorker worker, AllocationDecision decision, WorkerAllocation allocation,
        (EvictionOutcome Problem, List<WorkerAllocation> StillRunning)? blocked, CancellationToken token)
    {
        var gpus = allocation.Shares.Select(share => share.Gpu).ToArray();
        var victimsStillThere = blocked is not null;
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
                // The victims not evicted keep running: put them back so the state matches the cluster.
                foreach (var victim in blocked!.Value.StillRunning)
                {
                    _engine.State.Apply(victim);
                    _engine.Allocator.Quotas.Add(victim.Request);
                }
            }
        }

        if (blocked?.Problem.BudgetRefusal is { } refusal)
        {
            // Unschedulable for now, with the budget named where kubectl describe shows it; asked again after a while,
            // since budgets change with pods the allocator does not watch.
            var reason = $"preemption refused by a PodDisruptionBudget: {refusal}";
            await _writer.ReportUnschedulableAsync(worker.Pod, reason, token);
            ScheduleRetry(worker, _options.BudgetRetryDelay);
            return new WorkerOutcome(worker.WorkerId, DecisionKind.Unschedulable, null, [], reason, WriteOutcome.Failed);
        }

        if (result == WriteOutcome.Failed)
        {
            ScheduleRetry(worker);
        }

        var failure = victimsStillThere ? "a preemption victim could not be evicted" : result == WriteOutcome.Gone ? "pod is gone" : "bind failed";
        return new WorkerOutcome(worker.WorkerId, decision.Kind, allocation.Node, gpus, failure, result);
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

    private void ScheduleRetry(PendingWorker worker, TimeSpan? delay = null) => _ = RetryLaterAsync(worker, delay ?? _options.WriteRetryDelay);

    /// <summary>Capacity changed while a batch was being decided: its parked workers are tried again now.</summary>
    private async Task RetryParkedAsync()
    {
        try
        {
            // Not a capacity change itself (it does not bump the version): two batches cannot keep retrying each other.
            await ResubmitParkedAsync(_stopping.Token);

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

    private async Task RetryLaterAsync(PendingWorker worker, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping.Token);
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
            foreach (var node in nodes.Order(StringComparer.Ordinal))
            {
                _agents.Send(NodePlanBuilder.Build(_engine.State, node, _agents.Generations.Next(node), _engine.Inventory.DeviceUuid));
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
