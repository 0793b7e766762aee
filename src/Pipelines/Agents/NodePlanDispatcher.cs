using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// Delivers node plans to agents: in order per node (one single-threaded block per node), newest plan wins (a plan
/// superseded while a push is in flight is never sent), unreachable agents are retried with capped exponential
/// backoff on the <see cref="TimeProvider"/> until they acknowledge, and every answer is tracked as a <see cref="NodeAck"/>.
/// </summary>
public sealed class NodePlanDispatcher(INodePlanClient client, TimeProvider time, TimeSpan? maxBackoff = null) : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, NodeChannel> _nodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(30);

    /// <summary>Raised after every answer (or failed attempt) with the node's new standing.</summary>
    public event Action<NodeAck>? Changed;

    public IReadOnlyCollection<NodeAck> Acks => [.. _nodes.Values.Select(channel => channel.Ack)];

    public NodeAck? AckOf(string node) => _nodes.TryGetValue(node, out var channel) ? channel.Ack : null;

    /// <summary>Queues the plan as the node's newest; returns at once.</summary>
    public void Send(NodePlan plan)
    {
        var channel = _nodes.GetOrAdd(plan.NodeName, name => new NodeChannel(name, this));
        lock (channel)
        {
            if (channel.Latest is { } latest && latest.Generation >= plan.Generation)
            {
                return;
            }

            channel.Latest = plan;
            channel.Ack = channel.Ack with { PushedGeneration = plan.Generation };
        }

        // A full one-slot buffer means a wake-up is already pending and will read the newest plan: coalescing, not loss.
        channel.Block.Post(true);
    }

    /// <summary>Completes when the node has acknowledged <paramref name="generation"/> or later.</summary>
    public async Task<NodeAck> WaitAcknowledgedAsync(string node, long generation, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<NodeAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(NodeAck ack)
        {
            if (ack.Node == node && ack.AcknowledgedGeneration >= generation)
            {
                done.TrySetResult(ack);
            }
        }

        Changed += OnChanged;
        try
        {
            if (AckOf(node) is { } current && current.AcknowledgedGeneration >= generation)
            {
                return current;
            }

            return await done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Changed -= OnChanged;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var channel in _nodes.Values)
        {
            channel.Block.Complete();
            try
            {
                await channel.Block.Completion;
            }
            catch (OperationCanceledException)
            {
                // Stopping cancels a push that is waiting out its backoff.
            }
        }

        _stopping.Dispose();
    }

    private async Task DeliverAsync(NodeChannel channel)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            NodePlan plan;
            lock (channel)
            {
                if (channel.Latest is null || channel.Ack.AcknowledgedGeneration >= channel.Latest.Generation)
                {
                    return;
                }

                plan = channel.Latest;
            }

            var result = await client.PushAsync(plan, token);
            NodeAck ack;
            lock (channel)
            {
                var previous = channel.Ack;
                ack = result.Acknowledged
                    ? previous with { AcknowledgedGeneration = Math.Max(previous.AcknowledgedGeneration, plan.Generation), LastResult = result.Status!.Result, LastError = null, FailedAttempts = 0 }
                    : previous with { LastResult = result.Status?.Result, LastError = result.Error ?? result.Status?.Message, FailedAttempts = previous.FailedAttempts + 1 };
                channel.Ack = ack;
            }

            Changed?.Invoke(ack);
            if (result.Acknowledged || result.Status?.Result == PlanApplyResult.Refused)
            {
                // Refused is final for this generation (the agent holds a newer one); only a newer plan is worth sending.
                if (result.Status?.Result == PlanApplyResult.Refused)
                {
                    return;
                }

                continue;
            }

            var backoff = TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(ack.FailedAttempts - 1, 16)));
            await Task.Delay(backoff, time, token);
        }
    }

    private sealed class NodeChannel
    {
        public NodeChannel(string node, NodePlanDispatcher owner)
        {
            Ack = new NodeAck(node, 0, 0, null, null, 0);
            Block = new ActionBlock<bool>(
                async _ =>
                {
                    try
                    {
                        await owner.DeliverAsync(this);
                    }
                    catch (OperationCanceledException) when (owner._stopping.IsCancellationRequested)
                    {
                        // Shutting down.
                    }
                },
                new ExecutionDataflowBlockOptions { BoundedCapacity = 1, MaxDegreeOfParallelism = 1 });
        }

        public NodePlan? Latest { get; set; }

        public NodeAck Ack { get; set; }

        public ActionBlock<bool> Block { get; }
    }
}
