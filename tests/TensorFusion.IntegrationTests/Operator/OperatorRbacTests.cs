using TensorFusion.Host.Local;
using TensorFusion.LocalCluster.Authorization;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>The operator under its shipped ServiceAccount and ClusterRole, as `local` runs it.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class OperatorRbacTests
{
    private const string PodVerbs = "verbs: [\"get\", \"list\", \"watch\", \"create\", \"update\", \"patch\", \"delete\"]";

    [Fact]
    public async Task ShippedClusterRoleWithoutPodCreate_WorkloadCreated_OperatorLogsTheForbiddenVerbAndResource()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var shipped = LocalIdentities.ShippedManifests();
        Assert.Contains(PodVerbs, shipped, StringComparison.Ordinal);
        var withoutPodCreate = shipped.Replace(PodVerbs, "verbs: [\"get\", \"list\", \"watch\", \"update\", \"patch\", \"delete\"]", StringComparison.Ordinal);
        await IdentityManifests.ApplyAsync(cluster.Server.Operations, cluster.Server.Registry, withoutPodCreate, LocalIdentities.Namespace);
        var log = new LineWatchingLogger("cannot create resource \"pods\"");
        await using var op = cluster.StartOperator(
            OperatorCluster.FastOptions() with { Logger = log }, token: LocalIdentities.Issue(cluster.Server, LocalIdentities.OperatorAccount, null));
        await cluster.CreatePoolAsync("pool-a");

        await cluster.CreateWorkloadAsync("w", "pool-a", replicas: 1);

        var line = await log.Matched.WaitAsync(OperatorCluster.Wait);
        Assert.Contains($"User \"{LocalIdentities.OperatorUser}\" cannot create resource \"pods\" in API group \"\" in the namespace \"{OperatorCluster.Namespace}\"", line, StringComparison.Ordinal);
    }
}
