using System.Reactive.Linq;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Queue;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Operating;

/// <summary>
/// Runs the allocation pipeline for one leadership term, after the caches synced: rebuilds it from the pod cache
/// before any decision, then feeds it pod keys through a de-duplicating <see cref="WorkQueue{TKey}"/> (a key is queued
/// once however often its pod changes, so the queue never holds more than one entry per pod; each key is resolved
/// against the cache when taken: a pending worker is offered, a deleted, Succeeded or Failed one released) and
/// inventory changes (GPU, GPUNode, GPUPool, GPUResourceQuota, SchedulingConfigTemplate and
/// Node changes that can matter, coalesced: one rebuild of the inventory at a time, however many changes arrived).
/// Returns when the term ends; throws <see cref="AllocationFaultedException"/> when the pipeline faults.
/// </summary>
public sealed partial class AllocationController(
    KubeRestClient client,
    WorkloadCaches workloads,
    InventoryCaches inventory,
    OperatorOptions options,
    AgentAccess agents,
    TimeProvider time,
    AllocationMetrics metrics,
    PlanGenerations? generations = null)
{
    /// <summary>Raised once the pipeline has rebuilt its state and takes work (the autoscaler resizes through it).</summary>
    public event Action<AllocationPipeline>? Started;

    /// <summary>Raised for every contradicting allocation found at rebuild or on an inventory change.</summary>
    public event Action<string>? ConflictFound;

    /// <param name="leading">Fires when the term ends: a stop (drain) or a lost Lease (abort).</param>
    /// <param name="deposed">Completes when the Lease is lost: no drain then, or no more of it.</param>
    public async Task RunAsync(CancellationToken leading, Task? deposed = null)
    {
        deposed ??= Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
        using var podKeys = new WorkQueue<ObjectKey>(time);
        var inventoryChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        // Subscribe before reading the cache: a change in between is seen twice (submitting is idempotent), never missed.
        using var podSubscription = workloads.Pods.Changes.Subscribe(change => podKeys.Add(ObjectKey.Of(change.Current.Metadata)));
        using var inventorySubscription = Observable.Merge(
                inventory.Gpus.Changes.Where(InventoryRelevance.Gpu).Select(_ => true),
                inventory.GpuNodes.Changes.Where(InventoryRelevance.NodeLabels).Select(_ => true),
                inventory.Nodes.Changes.Where(InventoryRelevance.NodeLabels).Select(_ => true),
                workloads.Pools.Changes.Where(InventoryRelevance.Spec).Select(_ => true),
                inventory.Quotas.Changes.Where(InventoryRelevance.Spec).Select(_ => true),
                inventory.Templates.Changes.Where(InventoryRelevance.Spec).Select(_ => true))
            .Subscribe(_ => inventoryChanged.Writer.TryWrite(true), _ => { }, () => { });

        var addresses = new AgentAddressBook(name => inventory.GpuNodes.Get(null, name), name => inventory.Nodes.Get(null, name), options.AgentPort, options.AgentEndpointAnnotation);
        await using var dispatcher = new NodePlanDispatcher(agents.CreateClient(addresses.Resolve), time, options.AgentMaxBackoff, generations, options.Logger);
        dispatcher.Conflicted += metrics.RecordPlanConflict;
        var writer = new RestAllocationWriter(client, time);
        await using var pipeline = new AllocationPipeline(
            new AllocationEngine(GpuModelCatalog.Default), writer, dispatcher, time,
            options.Allocation with { Logger = options.Logger }, metrics)
        {
            CurrentPod = (ns, name) => workloads.Pods.Get(ns, name),
        };
        pipeline.ConflictFound += conflict => ConflictFound?.Invoke(conflict);

        await pipeline.StartAsync(MapInventory(), workloads.Pods.List(), leading);
        Started?.Invoke(pipeline);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(leading);
        var feeding = Task.WhenAll(FeedPodsAsync(pipeline, podKeys, stop.Token), FeedInventoryAsync(pipeline, writer, inventoryChanged.Reader, stop.Token));
        var ended = await Task.WhenAny(pipeline.Completion, feeding, Task.Delay(Timeout.InfiniteTimeSpan, leading).ContinueWith(static _ => { }, TaskScheduler.Default));
        await stop.CancelAsync();
        await feeding.ContinueWith(static _ => { }, TaskScheduler.Default);
        // The term ended by a stop (not a fault, not a lost Lease): decided by the tokens, since the feeders end on the
        // same stop and may be the task that finished first.
        if (leading.IsCancellationRequested && !deposed.IsCompleted && !pipeline.Completion.IsFaulted && !feeding.IsFaulted)
        {
            await DrainAsync(pipeline, dispatcher, deposed);
        }

        if (ended == pipeline.Completion && pipeline.Completion.IsFaulted)
        {
            throw new AllocationFaultedException($"the allocation pipeline stopped: {pipeline.Completion.Exception!.GetBaseException().Message}", pipeline.Completion.Exception!.GetBaseException());
        }

        if (ended == feeding && feeding.IsFaulted)
        {
            throw new AllocationFaultedException($"feeding the allocation pipeline failed: {feeding.Exception!.GetBaseException().Message}", feeding.Exception!.GetBaseException());
        }
    }

    /// <summary>
    /// A graceful stop: the batch being decided is persisted whole (no winner without its victims' evictions, no gang
    /// half bound), no new batch starts, and agents get the plans already sent, all within GracefulShutdownTimeout
    /// and only while the Lease is held. What did not finish is logged; pending workers stay pending for the next leader.
    /// </summary>
    private async Task DrainAsync(AllocationPipeline pipeline, NodePlanDispatcher dispatcher, Task deposed)
    {
        var started = time.GetTimestamp();
        var batchDone = await pipeline.DrainAsync(options.GracefulShutdownTimeout, deposed);
        var left = options.GracefulShutdownTimeout - time.GetElapsedTime(started);
        var unacknowledged = await dispatcher.DrainAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, deposed);
        var nodes = unacknowledged.Count == 0 ? "none" : string.Join(", ", unacknowledged);
        var elapsed = time.GetElapsedTime(started);
        LogDrained(options.Logger, batchDone, nodes, elapsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation drained on stop: in-flight batch persisted {BatchDone}; nodes without their newest plan acknowledged: {Unacknowledged}; took {Elapsed}")]
    private static partial void LogDrained(ILogger logger, bool batchDone, string unacknowledged, TimeSpan elapsed);

    /// <summary>The inventory as the caches hold it now.</summary>
    public AllocationInventory MapInventory() => InventoryMapper.Map(
        inventory.Gpus.List(), inventory.GpuNodes.List(), workloads.Pools.List(), inventory.Quotas.List(), [], inventory.Templates.List());

    private async Task FeedPodsAsync(AllocationPipeline pipeline, WorkQueue<ObjectKey> keys, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var (taken, key) = await keys.TakeAsync(stopping);
                if (!taken)
                {
                    return;
                }

                try
                {
                    // The cache's version now, not the version the change carried: later changes of the same pod are folded in.
                    var pod = workloads.Pods.Get(key.Namespace, key.Name);
                    if (pod is null || pod.Status?.Phase is "Succeeded" or "Failed")
                    {
                        await pipeline.WorkerGoneAsync(key.Namespace, key.Name, stopping);
                    }
                    else if (WorkerRequestMapper.IsPendingWorker(pod))
                    {
                        await pipeline.OfferAsync(pod, stopping);
                    }
                }
                finally
                {
                    keys.Done(key);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The term ended.
        }
    }

    private async Task FeedInventoryAsync(AllocationPipeline pipeline, RestAllocationWriter writer, ChannelReader<bool> changes, CancellationToken stopping)
    {
        try
        {
            await foreach (var _ in changes.ReadAllAsync(stopping))
            {
                // A GPU or node object may be new (or recreated by its agent): write its status whether or not it changed.
                writer.ForgetWrittenStatus();
                await pipeline.CapacityChangedAsync(MapInventory(), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The term ended.
        }
    }
}
