using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Tests.Agents;

namespace TensorFusion.Pipelines.Tests.Allocation;

/// <summary>The allocation pipeline over an in-memory API server and fake agents, on a fake clock.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly Channel<IReadOnlyList<WorkerOutcome>> _batches = Channel.CreateUnbounded<IReadOnlyList<WorkerOutcome>>();

    public PipelineHarness(FakeClusterWriter? writer = null, FakeAgents? agents = null, int maxBatch = 512, FakeTimeProvider? time = null, int persistParallelism = 32)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Writer = writer ?? new FakeClusterWriter();
        AgentClient = agents ?? new FakeAgents();
        Dispatcher = new NodePlanDispatcher(AgentClient, Time);
        Pipeline = new AllocationPipeline(
            new AllocationEngine(GpuModelCatalog.Default), Writer, Dispatcher, Time,
            new AllocationPipelineOptions { MaxBatchSize = maxBatch, BatchWindow = TimeSpan.FromMilliseconds(50), PersistParallelism = persistParallelism });
        Pipeline.BatchCompleted += outcomes => _batches.Writer.TryWrite(outcomes);
    }

    public FakeTimeProvider Time { get; }

    public FakeClusterWriter Writer { get; }

    public FakeAgents AgentClient { get; }

    public NodePlanDispatcher Dispatcher { get; }

    public AllocationPipeline Pipeline { get; }

    /// <summary>Nodes n0.. each with H100 GPUs n0-g0.. in pool "pool".</summary>
    public static AllocationInventory Inventory(int nodes, int gpusPerNode, string prefix = "n", params GpuResourceQuota[] quotas) => new(
        [.. Enumerable.Range(0, nodes).Select(n => new NodeSpec(
            $"{prefix}{n}", "pool", new Dictionary<string, string>(),
            [.. Enumerable.Range(0, gpusPerNode).Select(g => new GpuSpec($"{prefix}{n}-g{g}", g, "H100")) ]))],
        [new PoolSpec("pool")],
        quotas);

    public Task<RebuildReport> StartAsync(AllocationInventory inventory) =>
        Pipeline.StartAsync(inventory, Writer.Pods.Values, CancellationToken.None);

    public async Task SubmitAsync(params k8s.Models.V1Pod[] pods)
    {
        foreach (var pod in pods)
        {
            await Pipeline.OfferAsync(Writer.Add(pod), CancellationToken.None);
        }
    }

    /// <summary>Advances the clock one batch window (the time trigger) and returns the batch it decided.</summary>
    public async Task<IReadOnlyList<WorkerOutcome>> FlushAsync()
    {
        Time.Advance(TimeSpan.FromMilliseconds(50));
        return await NextBatchAsync();
    }

    public async Task<IReadOnlyList<WorkerOutcome>> NextBatchAsync() =>
        await _batches.Reader.ReadAsync().AsTask().WaitAsync(Wait);

    /// <summary>Waits until the node's agent acknowledged the newest plan sent to it.</summary>
    public async Task<NodeAck> ConvergedAsync(string node)
    {
        var pushed = Dispatcher.AckOf(node)?.PushedGeneration ?? throw new InvalidOperationException($"no plan was sent to {node}");
        using var timeout = new CancellationTokenSource(Wait);
        return await Dispatcher.WaitAcknowledgedAsync(node, pushed, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        await Dispatcher.DisposeAsync();
    }
}
