using System.Diagnostics;
using System.Net;
using k8s.Models;
using TensorFusion.Gpu.Plans;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Allocation;
using TensorFusion.Pipelines.Kube;
using Xunit.Abstractions;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>
/// One leader's plans at a time (issue 21 §2): generations numbered by the Lease's terms, not clocks; a deposed
/// leader's push refused; a killed leader replaced within the Lease's bound; a graceful stop that drains its batch.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class LeaderFencingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoOperators_ClocksSkewedOneHourEachWay_BothPushWhenLeading()
    {
        await using var engine = await EngineCluster.StartAsync();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);

        var (ahead, behind) = await HandOverAsync(engine);

        // Clock generations would have put the second leader two hours (7.2e6 ms) below the first: refused for good.
        Assert.True(behind > ahead, $"second leader's generation {behind} not above the first's {ahead}");
        Assert.True(PlanGenerations.EpochOf(behind) > PlanGenerations.EpochOf(ahead));
        Assert.Equal(behind, agent.Applier.Status.ObservedGeneration);
        var applied = agent.Applier.Status.Allocations.Where(a => a.State == AllocationState.Applied).Select(a => a.Worker).ToArray();
        Assert.Equal(2, applied.Length);
    }

    [Fact]
    public async Task StalePush_FromDeposedLeaderAfterTakeover_RefusedAndChangesNothing()
    {
        await using var engine = await EngineCluster.StartAsync();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        var (ahead, behind) = await HandOverAsync(engine);
        var before = agent.Applier.Status;
        var client = new AgentPlanClient(engine.AgentHttp, _ => agent.BaseAddress, () => EngineCluster.Token, TimeSpan.FromSeconds(10), engine.Trust);

        // The deposed leader's last plan, and one from its term with the highest counter, each emptying the node.
        var stale = await client.PushAsync(new NodePlan(OperatorCluster.NodeName, ahead, []), CancellationToken.None);
        var highestOfOldTerm = (PlanGenerations.EpochOf(ahead) << PlanGenerations.EpochShift) | ((1L << PlanGenerations.EpochShift) - 1);
        var staleHigh = await client.PushAsync(new NodePlan(OperatorCluster.NodeName, highestOfOldTerm, []), CancellationToken.None);

        Assert.Equal(PlanApplyResult.Refused, stale.Status?.Result);
        Assert.Equal(PlanApplyResult.Refused, staleHigh.Status?.Result);
        Assert.Equal(behind, staleHigh.Status!.ObservedGeneration);
        var after = agent.Applier.Status;
        Assert.Equal(before.ObservedGeneration, after.ObservedGeneration);
        Assert.Equal(before.Allocations.Select(a => (a.Worker, a.State)), after.Allocations.Select(a => (a.Worker, a.State)));
        Assert.Equal(2, after.Allocations.Count);
    }

    [Fact]
    public async Task LeaderKilledMidPush_StandbyLeadsWithinLeaseBound_AndNodeConverges()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);
        var options = OperatorCluster.WithFastLeaderElection(EngineCluster.FastOptions());
        var faults = new FaultInjectingHandler();
        await using var first = engine.StartOperator(out var firstStarted, options with { Identity = "first" }, faults);
        await firstStarted.WaitAsync(OperatorCluster.Wait);
        await using var second = engine.StartOperator(out var secondStarted, options with { Identity = "second" });
        await engine.CreateWorkloadAsync("w1", replicas: 1, tflops: "100", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w1").Count == 1, "the leader places w1");

        // The agent goes down, so the leader's push of w2's plan is in flight (retried with backoff) when it is killed.
        await engine.StopAgentAsync(OperatorCluster.NodeName);
        await engine.CreateWorkloadAsync("w2", replicas: 1, tflops: "100", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("w2").Count == 1, "the leader places w2");
        // Killed: from now on nothing it sends reaches the API server and its watches are dead (no graceful stop, no release).
        faults.Intercept = _ => FaultInjectingHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        faults.CutWatches();
        var killedAt = Stopwatch.StartNew();
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 2);

        await second.Operator.Leading.WaitAsync(OperatorCluster.Wait);
        var takeover = killedAt.Elapsed;
        var pipeline = await secondStarted.WaitAsync(OperatorCluster.Wait);
        var pushed = pipeline.Agents.AckOf(OperatorCluster.NodeName)?.PushedGeneration ?? 0;
        await pipeline.Agents.WaitAcknowledgedAsync(OperatorCluster.NodeName, pushed, CancellationToken.None).WaitAsync(OperatorCluster.Wait);

        // The standby takes over LeaseDuration + 1.2 × RetryPeriod (3 s + 0.36 s) after it first saw the last renewal,
        // which it saw at most 1.2 × RetryPeriod after the kill: 3.72 s, plus 1 s for a loaded 2-core test machine.
        var bound = options.LeaseDuration + (2.4 * options.RetryPeriod) + TimeSpan.FromSeconds(1);
        output.WriteLine($"standby led {takeover.TotalSeconds:0.000} s after the kill (bound {bound.TotalSeconds:0.00} s)");
        Assert.True(takeover <= bound, $"standby led {takeover.TotalSeconds:0.00} s after the kill, bound {bound.TotalSeconds:0.00} s");
        await Assert.ThrowsAsync<Pipelines.Operating.LeadershipLostException>(() => first.Run.WaitAsync(OperatorCluster.Wait));
        var applied = agent.Applier.Status.Allocations.Where(a => a.State == AllocationState.Applied).Select(a => a.Worker).Order().ToArray();
        Assert.Equal(engine.RunningWorkers("w1").Concat(engine.RunningWorkers("w2")).Select(pod => pod.Metadata.Name).Order(), applied);
    }

    [Fact]
    public async Task GracefulStopMidBatch_PreemptionPersistedWhole_ThenLeaseReleased()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1);
        var options = OperatorCluster.WithFastLeaderElection(EngineCluster.FastOptions()) with { LeaseDuration = TimeSpan.FromMinutes(10), RenewDeadline = TimeSpan.FromMinutes(6) };
        var faults = new FaultInjectingHandler();
        var first = engine.StartOperator(out var firstStarted, options with { Identity = "first" }, faults);
        await firstStarted.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("batch", replicas: 1, tflops: "100", vram: "70Gi", qos: "low");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("batch").Count == 1, "the low worker runs");
        var victim = engine.RunningWorkers("batch")[0];

        // Hold the winner's bind: the batch has evicted its victim and is between its two writes when SIGTERM comes.
        var bindReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseBind = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.BeforeSend = request =>
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/binding", StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            bindReached.TrySetResult();
            return releaseBind.Task;
        };
        await engine.CreateWorkloadAsync("svc", replicas: 1, tflops: "400", vram: "40Gi", qos: "critical");
        await bindReached.Task.WaitAsync(OperatorCluster.Wait);
        var stopping = first.StopAsync();
        await using var second = engine.StartOperator(out var secondStarted, options with { Identity = "second" });
        Assert.False(stopping.IsCompleted, "the stop waits for the batch in flight");
        releaseBind.TrySetResult();
        await stopping;

        // Whole: the victim is gone and the winner bound by the stopping leader; then the 10 min Lease was released.
        var winner = await engine.Cluster.Direct.GetAsync<V1Pod>(
            ResourceDescriptor.Pods.ObjectPath(OperatorCluster.Namespace, Assert.Single(engine.Cluster.ActiveWorkers("svc")).Metadata.Name), CancellationToken.None);
        Assert.Equal(OperatorCluster.NodeName, winner.Spec.NodeName);
        Assert.True(engine.Cluster.Pods.Get(OperatorCluster.Namespace, victim.Metadata.Name) is not { } now
            || now.Metadata.Uid != victim.Metadata.Uid || now.Metadata.DeletionTimestamp is not null);
        await secondStarted.WaitAsync(OperatorCluster.Wait);
        var lease = await engine.Cluster.Direct.GetAsync<V1Lease>(ResourceDescriptor.Leases.ObjectPath("default", options.LeaseName), CancellationToken.None);
        Assert.Equal("second", lease.Spec.HolderIdentity);
        await first.DisposeAsync();
    }

    /// <summary>
    /// A leader whose clock runs an hour ahead places a worker and pushes; it stops (releasing the Lease); a leader whose
    /// clock runs an hour behind takes over, places another and pushes. Returns each leader's acknowledged generation.
    /// </summary>
    private static async Task<(long Ahead, long Behind)> HandOverAsync(EngineCluster engine)
    {
        var options = OperatorCluster.WithFastLeaderElection(EngineCluster.FastOptions());
        var ahead = engine.StartOperator(out var aheadStarted, options with { Identity = "ahead" }, time: new SkewedClock(TimeSpan.FromHours(1)));
        var aheadPipeline = await aheadStarted.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("first", replicas: 1, tflops: "100", vram: "10Gi");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("first").Count == 1, "the first leader places its worker");
        var aheadGeneration = await AcknowledgedAsync(aheadPipeline);
        await ahead.StopAsync();
        await ahead.DisposeAsync();

        var behind = engine.StartOperator(out var behindStarted, options with { Identity = "behind" }, time: new SkewedClock(-TimeSpan.FromHours(1)));
        try
        {
            var behindPipeline = await behindStarted.WaitAsync(OperatorCluster.Wait);
            await engine.CreateWorkloadAsync("second", replicas: 1, tflops: "100", vram: "10Gi");
            await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("second").Count == 1, "the second leader places its worker");
            var behindGeneration = await AcknowledgedAsync(behindPipeline);
            return (aheadGeneration, behindGeneration);
        }
        finally
        {
            await behind.DisposeAsync();
        }
    }

    /// <summary>Waits until the node's agent acknowledged the newest plan the pipeline sent it; returns that generation.</summary>
    private static async Task<long> AcknowledgedAsync(AllocationPipeline pipeline)
    {
        var pushed = pipeline.Agents.AckOf(OperatorCluster.NodeName)!.PushedGeneration;
        var ack = await pipeline.Agents.WaitAcknowledgedAsync(OperatorCluster.NodeName, pushed, CancellationToken.None).WaitAsync(OperatorCluster.Wait);
        return ack.AcknowledgedGeneration;
    }
}
