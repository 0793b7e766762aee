using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;
using TensorFusion.Pipelines.Status;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>Operator faults after reliability-security.md §6 rows 8, 11, 12, 14.</summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class OperatorFaultTests
{
    [Fact]
    public async Task ConflictStorm_FourWritersOnOneStatus_NoUpdateLost()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await cluster.CreateWorkloadAsync("w", "pool", replicas: 0);
        var path = ResourceDescriptor.Workloads.ObjectPath(OperatorCluster.Namespace, "w");
        var patcher = new StatusPatcher(cluster.Direct, TimeProvider.System);
        var start = await cluster.Direct.GetAsync<TensorFusionWorkload>(path, CancellationToken.None);

        // Every writer starts from the same resourceVersion, so all but one conflict on the first try.
        var writers = Enumerable.Range(0, 4).Select(i => Task.Run(() => patcher.PatchAsync(path, start, current => new JsonObject
        {
            ["conditions"] = System.Text.Json.JsonSerializer.SerializeToNode(
                ConditionList.With(current.Status?.Conditions, $"Writer{i}", true, "Test", $"writer {i}", null, DateTimeOffset.UnixEpoch),
                TensorFusion.Api.Serialization.TensorFusionJson.Options),
        }, current => current.Metadata.ResourceVersion, CancellationToken.None)));
        var written = await Task.WhenAll(writers);

        var final = await cluster.Direct.GetAsync<TensorFusionWorkload>(path, CancellationToken.None);
        Assert.All(written, Assert.True);
        Assert.Equal(["Writer0", "Writer1", "Writer2", "Writer3"], final.Status!.Conditions!.Select(c => c.Type).Order());
    }

    [Fact]
    public async Task SlowStart_NoReconcileBeforeCachesSync()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 1);
        var faults = new FaultInjectingHandler();
        var refused = 0;
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.Intercept = request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/gpupools", StringComparison.Ordinal) && !request.RequestUri.Query.Contains("watch", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref refused) >= 3)
                {
                    slow.TrySetResult();
                }

                return FaultInjectingHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
            }

            return null;
        };

        await using var op = cluster.StartOperator(faults: faults);
        await slow.Task.WaitAsync(OperatorCluster.Wait);

        // Every other cache has had time to sync; the pool list keeps failing, so nothing may be reconciled yet.
        Assert.False(op.Operator.IsReady);
        var untouched = await cluster.Direct.GetAsync<TensorFusionWorkload>(ResourceDescriptor.Workloads.ObjectPath(OperatorCluster.Namespace, "w"), CancellationToken.None);
        Assert.Null(untouched.Status);
        Assert.Null(untouched.Metadata.Finalizers);
        Assert.Empty(cluster.ActiveWorkers("w"));

        faults.Intercept = null;
        await cluster.WaitForWorkloadAsync("w", w => w.Status?.Phase == WorkloadPhase.Running, "the workload runs once caches synced");
        Assert.True(op.Operator.IsReady);
        Assert.Single(cluster.ActiveWorkers("w"));
    }

    [Fact]
    public async Task TwoOperators_OneLeaderWrites_LeaderPartitioned_StandbyTakesOverAndOldLeaderStops()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        var options = OperatorCluster.WithFastLeaderElection(OperatorCluster.FastOptions());
        await using var first = cluster.StartOperator(options with { Identity = "first" });
        await cluster.CreateWorkloadAsync("w1", "pool-a", replicas: 2);
        await cluster.WaitForWorkloadAsync("w1", w => w.Status?.ReadyWorkers == 2, "the first operator leads and reconciles");
        await using var second = cluster.StartOperator(options with { Identity = "second" });
        Assert.True(first.Operator.IsLeader);
        Assert.False(second.Operator.IsLeader);

        // Partition the leader from the API server: it cannot renew, stops within RenewDeadline and reports the loss.
        first.Faults.Intercept = _ => FaultInjectingHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        first.Faults.CutWatches();
        await Assert.ThrowsAsync<LeadershipLostException>(() => first.Run.WaitAsync(OperatorCluster.Wait));

        // Each step awaited on its own event, so a failure names the step: the standby must lead once the 3 s Lease,
        // last renewed before the partition, has not changed for 3 s on its clock.
        await AwaitStepAsync(second.Operator.Leading, "the standby acquired the Lease");
        await cluster.CreateWorkloadAsync("w2", "pool-a", replicas: 2);
        await cluster.WaitForWorkloadAsync("w2", w => w.Status?.ReadyWorkers == 2, "the standby took over");
        Assert.True(second.Operator.IsLeader);
        var lease = await cluster.Direct.GetAsync<V1Lease>(ResourceDescriptor.Leases.ObjectPath("default", options.LeaseName), CancellationToken.None);
        Assert.Equal("second", lease.Spec.HolderIdentity);

        // Nothing was done twice: exactly the asked-for workers exist.
        Assert.Equal(2, cluster.ActiveWorkers("w1").Count);
        Assert.Equal(2, cluster.ActiveWorkers("w2").Count);
    }

    private static async Task AwaitStepAsync(Task step, string what)
    {
        try
        {
            await step.WaitAsync(OperatorCluster.Wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {OperatorCluster.Wait.TotalSeconds} s waiting until {what}");
        }
    }

    [Fact]
    public async Task GracefulStop_ReleasesLease_StandbyTakesOverWithoutWaitingOutDuration()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool-a");
        var options = OperatorCluster.FastOptions() with
        {
            LeaderElection = true,
            LeaseNamespace = "default",
            LeaseDuration = TimeSpan.FromMinutes(10),
            RenewDeadline = TimeSpan.FromMinutes(6),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var first = cluster.StartOperator(options with { Identity = "first" });
        await cluster.CreateWorkloadAsync("w1", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("w1", w => w.Status?.ReadyWorkers == 1, "the first operator leads");
        await using var second = cluster.StartOperator(options with { Identity = "second" });

        await first.StopAsync();
        await first.DisposeAsync();

        // A 10 min lease would block the standby far past the wait (OperatorCluster.Wait) unless the leader released it on stop.
        await cluster.CreateWorkloadAsync("w2", "pool-a", replicas: 1);
        await cluster.WaitForWorkloadAsync("w2", w => w.Status?.ReadyWorkers == 1, "the standby leads after the release");
        Assert.Single(cluster.ActiveWorkers("w1"));
    }
}
