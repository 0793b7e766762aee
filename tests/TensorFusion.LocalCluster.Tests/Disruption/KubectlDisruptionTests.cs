namespace TensorFusion.LocalCluster.Tests.Disruption;

[Trait("Category", "Integration")]
public sealed class KubectlDisruptionTests
{
    [Fact]
    public async Task CreateGetPdb_TwoRunningPods_ShowsAllowedDisruptions()
    {
        await using var cluster = await PodEvictionTests.ClusterWithRunningPodsAsync("w-0", "w-1");
        var kubectl = new Kubectl.Kubectl(cluster);

        var created = await kubectl.RunAsync("create poddisruptionbudget keep-one --selector=app=w --min-available=1");
        Assert.True(created.ExitCode == 0, created.Error);
        await PodEvictionTests.WaitForBudgetAsync(cluster, "keep-one", allowed: 1, healthy: 2);
        var listed = await kubectl.RunAsync("get pdb");

        Assert.Contains("poddisruptionbudget.policy/keep-one created", created.Output, StringComparison.Ordinal);
        // 2 healthy − 1 min available = 1 allowed disruption.
        Assert.Matches(@"keep-one\s+1\s+N/A\s+1\s+\S+", listed.Output);
    }

    [Fact]
    public async Task Drain_PodProtectedByExhaustedBudget_EvictionRefusedAndPodKept()
    {
        await using var cluster = await PodEvictionTests.ClusterWithRunningPodsAsync("w-0");
        await PodEvictionTests.CreateBudgetAsync(cluster, "keep-one", """{"minAvailable":1}""");
        await PodEvictionTests.WaitForBudgetAsync(cluster, "keep-one", allowed: 0, healthy: 1);
        var kubectl = new Kubectl.Kubectl(cluster);

        var drained = await kubectl.RunAsync("drain sim-1 --force --ignore-daemonsets --timeout=2s");

        Assert.NotEqual(0, drained.ExitCode);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", drained.Output + drained.Error, StringComparison.Ordinal);
        Assert.Null(cluster.Server.Store.Get("pods", "default", "w-0")!.Value["metadata"]?["deletionTimestamp"]);
    }
}
