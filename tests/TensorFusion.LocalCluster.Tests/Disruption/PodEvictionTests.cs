using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Disruption;

[Trait("Category", "Integration")]
public sealed class PodEvictionTests
{
    [Fact]
    public async Task Evict_NoBudget_PodDeleted()
    {
        await using var cluster = await ClusterWithRunningPodsAsync("w-0");

        await cluster.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("w-0"), "w-0", "default");
        await cluster.WaitForDeletionAsync("pods", "default", "w-0");

        Assert.Null(cluster.Server.Store.Get("pods", "default", "w-0"));
    }

    [Fact]
    public async Task Evict_BudgetWithNoDisruptionAllowed_429NamingTheBudgetAndPodKept()
    {
        await using var cluster = await ClusterWithRunningPodsAsync("w-0");
        await CreateBudgetAsync(cluster, "keep-one", """{"minAvailable":1}""");
        await WaitForBudgetAsync(cluster, "keep-one", allowed: 0, healthy: 1);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("w-0"), "w-0", "default"));

        Assert.Equal((HttpStatusCode)429, refused.Response.StatusCode);
        var status = JsonNode.Parse(refused.Response.Content)!;
        Assert.Equal("TooManyRequests", status["reason"]!.ToString());
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", status["message"]!.ToString());
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", cause["reason"]!.ToString());
        Assert.Equal("The disruption budget keep-one needs 1 healthy pods and has 1 currently", cause["message"]!.ToString());
        Assert.False(IsDeleting(cluster, "w-0"));
    }

    [Fact]
    public async Task Evict_BudgetAllowsOne_FirstEvictedSecondRefused()
    {
        await using var cluster = await ClusterWithRunningPodsAsync("w-0", "w-1", "w-2");
        await CreateBudgetAsync(cluster, "two-of-three", """{"minAvailable":"60%"}""");
        // 60 % of 3 = 1.8, rounded up: 2 must stay healthy; 3 healthy − 2 = 1 allowed.
        await WaitForBudgetAsync(cluster, "two-of-three", allowed: 1, healthy: 3);

        var first = cluster.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("w-0"), "w-0", "default");
        var second = cluster.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("w-1"), "w-1", "default");
        var outcomes = await Task.WhenAll(Settle(first), Settle(second));

        // Both raced for the one allowance: exactly one was spent, the other refused.
        Assert.Equal([201, 429], outcomes.Order());
        var spent = await cluster.WaitForAsync(LocalCluster.Disruption.DisruptionBudgets.StorageId, budget => budget.Name == "two-of-three"
            && (int?)budget.Value["status"]?["currentHealthy"] == 2);
        Assert.Equal(0, (int)spent.Value["status"]!["disruptionsAllowed"]!);
    }

    [Fact]
    public async Task Evict_DryRun_ChecksButChangesNothing()
    {
        await using var cluster = await ClusterWithRunningPodsAsync("w-0", "w-1");
        await CreateBudgetAsync(cluster, "one-down", """{"maxUnavailable":1}""");
        await WaitForBudgetAsync(cluster, "one-down", allowed: 1, healthy: 2);
        var before = cluster.Server.Store.Get(LocalCluster.Disruption.DisruptionBudgets.StorageId, "default", "one-down")!.ResourceVersion;

        var (code, _) = await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/pods/w-0/eviction?dryRun=All",
            """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"w-0","namespace":"default"}}""");

        Assert.Equal(201, code);
        Assert.False(IsDeleting(cluster, "w-0"));
        Assert.Equal(before, cluster.Server.Store.Get(LocalCluster.Disruption.DisruptionBudgets.StorageId, "default", "one-down")!.ResourceVersion);
    }

    [Fact]
    public async Task CreateBudget_MinAndMaxBothSet_422NamingTheSpecAndNothingStored()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await cluster.SendAsync(HttpMethod.Post, "apis/policy/v1/namespaces/default/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"both"},"spec":{"minAvailable":1,"maxUnavailable":1,"selector":{}}}""");

        Assert.Equal(422, code);
        Assert.Contains("minAvailable and maxUnavailable cannot be both set", body!["message"]!.ToString(), StringComparison.Ordinal);
        Assert.Null(cluster.Server.Store.Get(LocalCluster.Disruption.DisruptionBudgets.StorageId, "default", "both"));
    }

    internal static async Task<TestCluster> ClusterWithRunningPodsAsync(params string[] names)
    {
        var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.Zero });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        foreach (var name in names)
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "w" } },
                Spec = new V1PodSpec { NodeName = "sim-1", TerminationGracePeriodSeconds = 0, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            }, "default");
        }

        foreach (var name in names)
        {
            await cluster.WaitForAsync("pods", pod => pod.Name == name && LocalCluster.Disruption.DisruptionBudgets.IsHealthy(pod.Value));
        }

        return cluster;
    }

    internal static Task<JsonObject> CreateBudgetAsync(TestCluster cluster, string name, string spec)
    {
        var body = JsonNode.Parse(spec)!.AsObject();
        body["selector"] = JsonNode.Parse("""{"matchLabels":{"app":"w"}}""");
        return cluster.CreateYamlAsync("apis/policy/v1/namespaces/default/poddisruptionbudgets",
            $$"""{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"{{name}}"},"spec":{{body.ToJsonString()}}}""");
    }

    internal static Task WaitForBudgetAsync(TestCluster cluster, string name, int allowed, int healthy) =>
        cluster.WaitForAsync(LocalCluster.Disruption.DisruptionBudgets.StorageId, budget => budget.Name == name
            && (int?)budget.Value["status"]?["disruptionsAllowed"] == allowed && (int?)budget.Value["status"]?["currentHealthy"] == healthy);

    private static bool IsDeleting(TestCluster cluster, string pod) =>
        cluster.Server.Store.Get("pods", "default", pod) is not { } stored || stored.Value["metadata"]?["deletionTimestamp"] is not null;

    private static V1Eviction Eviction(string pod) => new() { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "default" } };

    private static async Task<int> Settle(Task<V1Eviction> eviction)
    {
        try
        {
            await eviction;
            return 201;
        }
        catch (HttpOperationException refused)
        {
            return (int)refused.Response.StatusCode;
        }
    }
}
