using k8s;
using k8s.Autorest;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Api;

public sealed class TypedClientTests
{
    [Fact]
    public async Task CreateGetList_ConfigMap_RoundTripsWithServerFields()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        var fetched = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        Assert.Equal("1", fetched.Data["a"]);
        var list = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Equal("settings", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task Create_SameNameTwice_AnswersAlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "twice" } };
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "default");

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "default"));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, failure.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_AnswersConflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cas" } }, "default");
        first.Data = new Dictionary<string, string> { ["v"] = "1" };
        var second = await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cas", "default");

        first.Data["v"] = "2";
        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cas", "default"));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, failure.Response.StatusCode);
        Assert.Contains("the object has been modified", failure.Response.Content, StringComparison.Ordinal);
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ResourceVersion_EveryWrite_IncreasesStrictly()
    {
        await using var cluster = await TestCluster.StartAsync();
        var versions = new List<long>();
        for (var index = 0; index < 20; index++)
        {
            var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"m{index}" } }, "default");
            versions.Add(long.Parse(created.Metadata.ResourceVersion));
        }

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public async Task Create_GenerateName_AppendsRandomSuffix()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "worker-" } }, "default");

        Assert.StartsWith("worker-", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("worker-".Length + 5, created.Metadata.Name.Length);
    }

    [Fact]
    public async Task Create_DryRun_StoresNothing()
    {
        await using var cluster = await TestCluster.StartAsync();

        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" } }, "default", dryRun: "All");

        var list = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Create_MissingNamespace_AnswersNotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "nowhere"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, failure.Response.StatusCode);
        Assert.Contains("namespaces \\\"nowhere\\\" not found", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithoutToken_Answers401()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var anonymous = cluster.Server.CreateHttpClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        using var response = await anonymous.GetAsync("api/v1/namespaces");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListNamespaces_FreshServer_HasSystemNamespaces()
    {
        await using var cluster = await TestCluster.StartAsync();

        var namespaces = await cluster.Client.CoreV1.ListNamespaceAsync();

        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(item => item.Metadata.Name).Order());
        Assert.All(namespaces.Items, item => Assert.Equal("Active", item.Status.Phase));
    }
}
