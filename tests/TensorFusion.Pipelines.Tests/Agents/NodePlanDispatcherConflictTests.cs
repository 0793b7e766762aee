using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

public sealed class NodePlanDispatcherConflictTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static NodePlan Plan(long generation, string worker) =>
        new("n0", generation, [new PlannedAllocation("team", "llm", worker, Gpu.Requests.IsolationMode.Soft, [new PlannedDeviceShare("gpu-a", 10, 20, 1024, 2048)])]);

    [Fact]
    public async Task Send_AgentHoldsHigherGenerationOfSameTerm_ReReadAndPushedAboveIt()
    {
        var agent = new GenerationKeepingAgent();
        agent.Held["n0"] = Plan((3L << PlanGenerations.EpochShift) | 50, "old");
        var conflicts = new List<PlanConflict>();
        await using var dispatcher = new NodePlanDispatcher(agent, new FakeTimeProvider(), generations: PlanGenerations.ForTerm(2));
        dispatcher.Conflicted += conflicts.Add;

        var plan = Plan(dispatcher.Generations.Next("n0"), "new");
        dispatcher.Send(plan);
        var ack = await dispatcher.WaitAcknowledgedAsync("n0", plan.Generation, CancellationToken.None).WaitAsync(Wait);

        // Pushed 3·2^42+1, refused holding 3·2^42+50, pushed again as 3·2^42+51 and applied.
        Assert.Equal([(3L << PlanGenerations.EpochShift) | 1, (3L << PlanGenerations.EpochShift) | 51], agent.Pushed.Select(p => p.Generation));
        Assert.Equal("new", agent.Held["n0"].Allocations[0].Worker);
        Assert.Equal(PlanApplyResult.Applied, ack.LastResult);
        var conflict = Assert.Single(conflicts);
        Assert.Equal(new PlanConflict("n0", (3L << PlanGenerations.EpochShift) | 1, (3L << PlanGenerations.EpochShift) | 50, Fenced: false), conflict);
        Assert.Equal((3L << PlanGenerations.EpochShift) | 52, dispatcher.Generations.Next("n0"));
    }

    [Fact]
    public async Task Send_AgentHoldsLaterTerm_FencedAndAgentUnchanged()
    {
        var agent = new GenerationKeepingAgent();
        var newer = Plan((5L << PlanGenerations.EpochShift) | 1, "new-leader");
        agent.Held["n0"] = newer;
        var fenced = new TaskCompletionSource<PlanConflict>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var dispatcher = new NodePlanDispatcher(agent, new FakeTimeProvider(), generations: PlanGenerations.ForTerm(2));
        dispatcher.Conflicted += conflict => fenced.TrySetResult(conflict);

        dispatcher.Send(Plan(dispatcher.Generations.Next("n0"), "deposed-leader"));
        var conflict = await fenced.Task.WaitAsync(Wait);
        dispatcher.Send(Plan(dispatcher.Generations.Next("n0"), "deposed-again"));

        Assert.True(conflict.Fenced);
        Assert.Same(newer, agent.Held["n0"]);
        Assert.Single(agent.Pushed);
        Assert.Contains("fenced", dispatcher.AckOf("n0")!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SameGenerationOtherContent_PushedAgainWithHigherGeneration()
    {
        // A lone operator restarted and numbered its first plan exactly as the agent's accepted one.
        var agent = new GenerationKeepingAgent();
        agent.Held["n0"] = Plan(1, "before-restart");
        await using var dispatcher = new NodePlanDispatcher(agent, new FakeTimeProvider());

        var plan = Plan(dispatcher.Generations.Next("n0"), "after-restart");
        dispatcher.Send(plan);
        await dispatcher.WaitAcknowledgedAsync("n0", plan.Generation, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal([1L, 2L], agent.Pushed.Select(p => p.Generation));
        Assert.Equal("after-restart", agent.Held["n0"].Allocations[0].Worker);
    }

    [Fact]
    public async Task DrainAsync_OneAgentDown_WaitsOutTheBoundAndNamesIt()
    {
        var time = new FakeTimeProvider();
        var agents = new FakeAgents();
        agents.Down["n1"] = true;
        await using var dispatcher = new NodePlanDispatcher(agents, time);
        var up = Plan(dispatcher.Generations.Next("n0"), "up");
        dispatcher.Send(up);
        dispatcher.Send(new NodePlan("n1", dispatcher.Generations.Next("n1"), []));
        await dispatcher.WaitAcknowledgedAsync("n0", up.Generation, CancellationToken.None).WaitAsync(Wait);

        var draining = dispatcher.DrainAsync(TimeSpan.FromSeconds(5), new TaskCompletionSource().Task);
        Assert.False(draining.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        var unacknowledged = await draining.WaitAsync(Wait);

        Assert.Equal(["n1"], unacknowledged);
    }

    [Fact]
    public async Task Send_AnotherWriterKeepsOutbidding_SecondRePushWaitsABackoff()
    {
        // Two lone operators (no leader election) on one node: the other one is always one generation ahead.
        var time = new TimerSignallingClock();
        var agent = new OutbiddingAgent();
        await using var dispatcher = new NodePlanDispatcher(agent, time);

        dispatcher.Send(Plan(dispatcher.Generations.Next("n0"), "mine"));
        await agent.Pushes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await agent.Pushes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await time.TimerCreated.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var third = agent.Pushes.Reader.ReadAsync().AsTask();
        Assert.False(third.IsCompleted, "the second refusal in a row waits its backoff");
        time.Advance(TimeSpan.FromMilliseconds(200));

        await third.WaitAsync(Wait);
    }

    /// <summary>A fake clock that says when a timer (a backoff's delay) was created, so the test advances after it.</summary>
    private sealed class TimerSignallingClock : FakeTimeProvider
    {
        public Channel<TimeSpan> TimerCreated { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>An agent whose generation another writer keeps one above every push.</summary>
    private sealed class OutbiddingAgent : INodePlanClient
    {
        public Channel<long> Pushes { get; } = Channel.CreateUnbounded<long>();

        public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
        {
            Pushes.Writer.TryWrite(plan.Generation);
            return Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, plan.Generation + 1, PlanApplyResult.Refused, []), null));
        }
    }
}
