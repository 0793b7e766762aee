using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// Delivers node plans to agents: in order per node (one single-threaded block per node), newest plan wins (a plan
/// superseded while a push is in flight is never sent), unreachable agents are retried with capped exponential
/// backoff on the <see cref="TimeProvider"/> until they acknowledge, and every answer is tracked as a <see cref="NodeAck"/>.
/// A refusal (409: the agent holds a generation not below the pushed one) is never final by itself: the agent's
/// generation from the answer is re-read into <see cref="Generations"/> and the plan pushed again above it, unless that
/// generation is from a later leader's term (then this process is fenced off the node). Both are counted and logged.
/// </summary>
public sealed partial class NodePlanDispatcher(INodePlanClient client, TimeProvider time, TimeSpan? maxBackoff = null, PlanGenerations? generations = null, ILogger? logger = null)
    : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, NodeChannel> _nodes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(30);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Raised after every answer (or failed attempt) with the node's new standing.</summary>
    public event Action<NodeAck>? Changed;

    /// <summary>Raised for every refused push (re-pushed or fenced): the operator counts them.</summary>
    public event Action<PlanConflict>? Conflicted;

    /// <summary>Where plan generations come from; the allocation pipeline stamps its plans from here.</summary>
    public PlanGenerations Generations { get; } = generations ?? PlanGenerations.Unfenced();

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

    /// <summary>
    /// A graceful stop's last step: waits until every node acknowledged its newest plan, at most <paramref name="bound"/>
    /// and only until <paramref name="abandon"/> completes (a lost Lease). Returns the nodes still unacknowledged.
    /// </summary>
    public async Task<IReadOnlyList<string>> DrainAsync(TimeSpan bound, Task abandon)
    {
        using var done = new CancellationTokenSource();
        var pending = _nodes.Values.Where(channel => !channel.Fenced && !channel.Ack.Converged).Select(channel => channel.Ack).ToArray();
        var acknowledged = Task.WhenAll(pending.Select(ack => WaitAcknowledgedAsync(ack.Node, ack.PushedGeneration, done.Token)));
        await Task.WhenAny(acknowledged, Task.Delay(bound, time), abandon);
        await done.CancelAsync();
        await acknowledged.ContinueWith(static _ => { }, TaskScheduler.Default);
        return [.. _nodes.Values.Where(channel => !channel.Ack.Converged).Select(channel => channel.Ack.Node).Order(StringComparer.Ordinal)];
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
            NodePlan wire;
            lock (channel)
            {
                if (channel.Latest is null || channel.Fenced || channel.Ack.AcknowledgedGeneration >= channel.Latest.Generation)
                {
                    return;
                }

                plan = channel.Latest;
                // After a 409 the agent's generation is the floor: a plan numbered before the re-read goes out renumbered.
                wire = plan.Generation > channel.AgentFloor ? plan : plan with { Generation = Generations.Next(plan.NodeName) };
            }

            var result = await client.PushAsync(wire, token);
            if (result.Status is { Result: PlanApplyResult.Refused } refusal && refusal.ObservedGeneration >= wire.Generation)
            {
                if (!HandleConflict(channel, wire, refusal))
                {
                    return;
                }

                // Once is a restart or a takeover; again and again is another writer outbidding this one (two operators
                // without leader election): back off rather than spin.
                if (++channel.Conflicts > 1)
                {
                    await Task.Delay(Backoff(channel.Conflicts - 1), time, token);
                }

                continue;
            }

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
            if (result.Acknowledged)
            {
                channel.Conflicts = 0;
                continue;
            }

            // Unreachable, or refused although above the agent's generation (an agent that contradicts its own answer): retry later.
            await Task.Delay(Backoff(ack.FailedAttempts), time, token);
        }
    }

    /// <summary>200 ms doubling per attempt, capped at the maximum backoff.</summary>
    private TimeSpan Backoff(int attempts) => TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(attempts - 1, 16)));

    /// <summary>Re-reads the agent's generation from its refusal: true to push again above it, false when fenced off the node.</summary>
    private bool HandleConflict(NodeChannel channel, NodePlan wire, NodePlanStatus refusal)
    {
        var agentGeneration = refusal.ObservedGeneration;
        var rebased = Generations.TryRebase(wire.NodeName, agentGeneration);
        NodeAck ack;
        lock (channel)
        {
            channel.AgentFloor = Math.Max(channel.AgentFloor, agentGeneration);
            channel.Fenced = !rebased;
            ack = channel.Ack with
            {
                LastResult = PlanApplyResult.Refused,
                LastError = rebased ? null : $"fenced: the agent holds generation {agentGeneration} from term {PlanGenerations.EpochOf(agentGeneration)}, after this leader's term {Generations.Epoch}",
            };
            channel.Ack = ack;
        }

        if (rebased)
        {
            LogRepushing(_logger, wire.NodeName, wire.Generation, agentGeneration, refusal.Message ?? "");
        }
        else
        {
            LogFenced(_logger, wire.NodeName, wire.Generation, agentGeneration, PlanGenerations.EpochOf(agentGeneration), Generations.Epoch);
        }

        Conflicted?.Invoke(new PlanConflict(wire.NodeName, wire.Generation, agentGeneration, Fenced: !rebased));
        Changed?.Invoke(ack);
        return rebased;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Node} refused plan generation {Pushed}: it holds {AgentGeneration} ({Reason}); re-read, pushing again above it")]
    private static partial void LogRepushing(ILogger logger, string node, long pushed, long agentGeneration, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent {Node} refused plan generation {Pushed}: it holds {AgentGeneration} from term {AgentTerm}, later than this process's term {OwnTerm}; another leader pushes to this node, so this process stops pushing to it")]
    private static partial void LogFenced(ILogger logger, string node, long pushed, long agentGeneration, long agentTerm, long ownTerm);

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

        /// <summary>The generation the agent last reported holding in a refusal; plans at or below it are renumbered.</summary>
        public long AgentFloor { get; set; }

        /// <summary>A later leader's plans reached this node: this process never pushes to it again.</summary>
        public bool Fenced { get; set; }

        /// <summary>Refusals re-pushed since the last acknowledgement.</summary>
        public int Conflicts { get; set; }

        public NodeAck Ack { get; set; }

        public ActionBlock<bool> Block { get; }
    }
}
