using k8s.Models;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Leadership;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>The code review's "silent failures": a leader whose work crashes must not look like a clean stop.</summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class LeaseElectorTests
{
    [Fact]
    public async Task RunAsync_LeaderWorkThrows_RethrowsAndReleasesTheLease()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var elector = new LeaseElector(cluster.Direct, "default", "crash-test", "crasher", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200),
            TimeProvider.System, new Random(3));

        var crash = await Assert.ThrowsAsync<InvalidOperationException>(() => elector.RunAsync(_ => throw new InvalidOperationException("reconcile loop died"), CancellationToken.None)
            .WaitAsync(OperatorCluster.Wait));

        Assert.Equal("reconcile loop died", crash.Message);
        Assert.False(elector.IsLeader);
        // Released, so a standby takes over at once rather than after the 60 s lease.
        var lease = await cluster.Direct.GetAsync<V1Lease>(ResourceDescriptor.Leases.ObjectPath("default", "crash-test"), CancellationToken.None);
        Assert.Null(lease.Spec.HolderIdentity);
    }
}
