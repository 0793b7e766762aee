using System.Reactive.Linq;
using System.Threading.Channels;
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
public sealed class AllocationController(
    KubeRestClient client,
    WorkloadCaches workloads,
    InventoryCaches inventory,
    OperatorOptions options,
    AgentAccess agents,
    TimeProvider time,
    AllocationMetrics metrics)
{
    /// <summary>Raised once the pipeline has rebuilt its state and takes work (the autoscaler resizes through it).</summary>
    public event Action<AllocationPipeline>? Started;

    /// <summary>Raised for every contradicting allocation found at rebuild or on an inventory change.</summary>
    public event Action<string>? ConflictFound;

    public async Task RunAsync(CancellationToken leading)
    {
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

        var addresses = new AgentAddressBook(name => inventory.GpuNodes.Get(null, name), name => inventory.Nodes.Get(null, name), options.AgentPort);
        await using var dispatcher = new NodePlanDispatcher(agents.CreateClient(addresses.Resolve), time, options.AgentMaxBackoff);
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
        if (ended == pipeline.Completion && pipeline.Completion.IsFaulted)
        {
            throw new AllocationFaultedException($"the allocation pipeline stopped: {pipeline.Completion.Exception!.GetBaseException().Message}", pipeline.Completion.Exception!.GetBaseException());
        }

        if (ended == feeding && feeding.IsFaulted)
        {
            throw new AllocationFaultedException($"feeding the allocation pipeline failed: {feeding.Exception!.GetBaseException().Message}", feeding.Exception!.GetBaseException());
        }
    }

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
