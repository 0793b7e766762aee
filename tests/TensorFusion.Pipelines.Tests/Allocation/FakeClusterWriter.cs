using System.Collections.Concurrent;
using k8s.Models;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Allocation;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>An in-memory API server for the pipeline: binds set annotations and spec.nodeName, evictions delete, every write is logged in order.</summary>
internal sealed class FakeClusterWriter : IAllocationWriter
{
    public ConcurrentDictionary<string, V1Pod> Pods { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Log { get; } = new();

    public ConcurrentDictionary<string, string> Unschedulable { get; } = new(StringComparer.Ordinal);

    private readonly List<(Func<CapacityReport, bool> When, TaskCompletionSource<CapacityReport> Done)> _statusWaiters = [];

    public CapacityReport? LastStatus { get; private set; }

    /// <summary>Lets a test fail or stall a bind (return null for the normal path).</summary>
    public Func<string, CancellationToken, Task<WriteOutcome?>>? BindHook { get; set; }

    public V1Pod Add(V1Pod pod)
    {
        Pods[Key(pod)] = pod;
        return pod;
    }

    public async Task<WriteOutcome> BindAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        if (BindHook is not null && await BindHook(Key(pod), cancellationToken) is { } forced)
        {
            return forced;
        }

        if (!Pods.TryGetValue(Key(pod), out var stored))
        {
            return WriteOutcome.Gone;
        }

        foreach (var (key, value) in AllocationAnnotations.For(allocation))
        {
            stored.Metadata.Annotations[key] = value;
        }

        stored.Spec.NodeName = allocation.Node;
        Log.Enqueue($"bind {Key(pod)} {allocation.Node}");
        return WriteOutcome.Done;
    }

    /// <summary>Lets a test fail an annotation rewrite (return null for the normal path).</summary>
    public Func<string, WriteOutcome?>? UpdateHook { get; set; }

    public Task<WriteOutcome> UpdateAllocationAsync(WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        if (UpdateHook?.Invoke(allocation.WorkerId) is { } forced)
        {
            return Task.FromResult(forced);
        }

        if (!Pods.TryGetValue(allocation.WorkerId, out var stored))
        {
            return Task.FromResult(WriteOutcome.Gone);
        }

        foreach (var (key, value) in AllocationAnnotations.For(allocation))
        {
            stored.Metadata.Annotations[key] = value;
        }

        Log.Enqueue($"update {allocation.WorkerId}");
        return Task.FromResult(WriteOutcome.Done);
    }

    /// <summary>Workers a PodDisruptionBudget protects: evicting them is refused with this reason.</summary>
    public ConcurrentDictionary<string, string> ProtectedByBudget { get; } = new(StringComparer.Ordinal);

    public Task<EvictionOutcome> EvictAsync(WorkerAllocation victim, string preemptor, bool dryRun, CancellationToken cancellationToken)
    {
        if (ProtectedByBudget.TryGetValue(victim.WorkerId, out var refusal))
        {
            Log.Enqueue($"evict {victim.WorkerId} refused{(dryRun ? " (dry run)" : "")}");
            return Task.FromResult(EvictionOutcome.RefusedByBudget(refusal));
        }

        if (!dryRun)
        {
            Pods.TryRemove(victim.WorkerId, out _);
            Log.Enqueue($"evict {victim.WorkerId}");
        }

        return Task.FromResult(EvictionOutcome.Done);
    }

    /// <summary>Lets a test stall an unschedulable report (awaited before the report is recorded).</summary>
    public Func<string, CancellationToken, Task>? ReportHook { get; set; }

    public async Task<WriteOutcome> ReportUnschedulableAsync(V1Pod pod, string reason, CancellationToken cancellationToken)
    {
        if (ReportHook is not null)
        {
            await ReportHook(Key(pod), cancellationToken);
        }

        Unschedulable[Key(pod)] = reason;
        Log.Enqueue($"unschedulable {Key(pod)}");
        return WriteOutcome.Done;
    }

    /// <summary>Lets a test fail a status write the way the REST writer reports an unreachable API server (null: written).</summary>
    public Func<CapacityReport, WriteOutcome?>? StatusHook { get; set; }

    /// <summary>Lets a test hold a status write in flight (awaited before the report is recorded).</summary>
    public Func<CapacityReport, CancellationToken, Task>? StatusStall { get; set; }

    public async Task<WriteOutcome> WriteStatusAsync(CapacityReport report, CancellationToken cancellationToken)
    {
        if (StatusHook?.Invoke(report) is { } forced)
        {
            return forced;
        }

        if (StatusStall is { } stall)
        {
            await stall(report, cancellationToken);
        }

        lock (_statusWaiters)
        {
            LastStatus = report;
            foreach (var waiter in _statusWaiters.Where(waiter => waiter.When(report)).ToArray())
            {
                _statusWaiters.Remove(waiter);
                waiter.Done.TrySetResult(report);
            }
        }

        return WriteOutcome.Done;
    }

    /// <summary>Completes with the first status report (the last one written, or a later one) that satisfies <paramref name="when"/>.</summary>
    public Task<CapacityReport> WaitForStatusAsync(Func<CapacityReport, bool> when)
    {
        lock (_statusWaiters)
        {
            if (LastStatus is { } last && when(last))
            {
                return Task.FromResult(last);
            }

            var done = new TaskCompletionSource<CapacityReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            _statusWaiters.Add((when, done));
            return done.Task;
        }
    }

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
