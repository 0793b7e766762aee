using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace TensorFusion.LocalCluster.Tests.Api;

public sealed class CustomResourceTests
{
    private const string Widgets = "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets";

    [Fact]
    public async Task ApplyCrd_ThenCreate_ServesResourceAtOnceWithDefaults()
    {
        await using var cluster = await TestCluster.StartAsync();
        var crd = await cluster.ApplyWidgetsCrdAsync();

        var widget = await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            Widget("w1", "small"), "example.tensor-fusion.ai", "v1", "default", "widgets");

        Assert.Equal("True", crd["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.ToString() == "Established")!["status"]!.ToString());
        // The schema default (replicas: 1) is filled in on create.
        Assert.Equal(1, widget["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, widget["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Discovery_AfterCrd_ListsShortNamesCategoriesAndStatus()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();

        var (status, body) = await cluster.SendAsync(HttpMethod.Get, "apis/example.tensor-fusion.ai/v1");

        Assert.Equal(200, status);
        var resources = body!["resources"]!.AsArray();
        var widgets = resources.Single(r => r!["name"]!.ToString() == "widgets")!;
        Assert.Equal("wdg", widgets["shortNames"]![0]!.ToString());
        Assert.Equal("all", widgets["categories"]![0]!.ToString());
        Assert.Contains(resources, r => r!["name"]!.ToString() == "widgets/status");
    }

    [Fact]
    public async Task Create_InvalidEnumAndMissingRequired_ReportsFieldPaths()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();

        var (status, body) = await cluster.SendAsync(HttpMethod.Post, Widgets,
            """{"apiVersion":"example.tensor-fusion.ai/v1","kind":"Widget","metadata":{"name":"bad"},"spec":{"size":"huge","replicas":-1}}""");

        Assert.Equal(422, status);
        var message = body!["message"]!.ToString();
        Assert.Contains("spec.size: Unsupported value: \"huge\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.replicas", message, StringComparison.Ordinal);
        Assert.Equal("Invalid", body["reason"]!.ToString());
    }

    [Fact]
    public async Task Create_UnknownFieldStrict_Answers400NamingTheField()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();

        var (status, body) = await cluster.SendAsync(HttpMethod.Post, Widgets + "?fieldValidation=Strict",
            """{"apiVersion":"example.tensor-fusion.ai/v1","kind":"Widget","metadata":{"name":"x"},"spec":{"size":"small","colour":"red"}}""");

        Assert.Equal(400, status);
        Assert.Contains("unknown field \"spec.colour\"", body!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownFieldDefault_PrunesAndWarns()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        using var content = new StringContent("""{"apiVersion":"example.tensor-fusion.ai/v1","kind":"Widget","metadata":{"name":"x"},"spec":{"size":"small","colour":"red"}}""");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await cluster.Http.PostAsync(Widgets, content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("unknown field \\\"spec.colour\\\"", string.Join(" ", response.Headers.GetValues("Warning")), StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["spec"]!["colour"]);
    }

    [Fact]
    public async Task StatusSubresource_MainIgnoresStatusAndStatusIgnoresSpec()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        await cluster.SendAsync(HttpMethod.Post, Widgets, Widget("w", "small").ToJsonString());

        var (_, afterMain) = await cluster.SendAsync(HttpMethod.Patch, Widgets + "/w",
            """{"spec":{"size":"large"},"status":{"phase":"Ignored"}}""", "application/merge-patch+json");
        var (_, afterStatus) = await cluster.SendAsync(HttpMethod.Patch, Widgets + "/w/status",
            """{"spec":{"size":"small"},"status":{"phase":"Ready"}}""", "application/merge-patch+json");

        Assert.Null(afterMain!["status"]);
        Assert.Equal("large", afterMain["spec"]!["size"]!.ToString());
        Assert.Equal("Ready", afterStatus!["status"]!["phase"]!.ToString());
        Assert.Equal("large", afterStatus["spec"]!["size"]!.ToString());
    }

    [Fact]
    public async Task Generation_BumpsOnSpecChangeOnly()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        await cluster.SendAsync(HttpMethod.Post, Widgets, Widget("g", "small").ToJsonString());

        var (_, labelled) = await cluster.SendAsync(HttpMethod.Patch, Widgets + "/g", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        var (_, statused) = await cluster.SendAsync(HttpMethod.Patch, Widgets + "/g/status", """{"status":{"phase":"Up"}}""", "application/merge-patch+json");
        var (_, respecced) = await cluster.SendAsync(HttpMethod.Patch, Widgets + "/g", """{"spec":{"replicas":3}}""", "application/merge-patch+json");

        Assert.Equal(1, labelled!["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(1, statused!["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(2, respecced!["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeleteCrd_StopsServingAndRemovesObjects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        await cluster.SendAsync(HttpMethod.Post, Widgets, Widget("gone", "small").ToJsonString());

        await cluster.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.tensor-fusion.ai");
        var (status, _) = await cluster.SendAsync(HttpMethod.Get, Widgets);

        Assert.Equal(404, status);
        Assert.Empty(cluster.Server.Store.List("widgets.example.tensor-fusion.ai", null, null).Items);
    }

    [Fact]
    public async Task ClusterScopedCrd_ServesWithoutNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateYamlAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", File.ReadAllText(TestCluster.TestData("cluster-gadgets-crd.yaml")));

        await cluster.Client.CustomObjects.CreateClusterCustomObjectAsync(
            new JsonObject { ["apiVersion"] = "example.tensor-fusion.ai/v1", ["kind"] = "Gadget", ["metadata"] = new JsonObject { ["name"] = "g1" }, ["anything"] = 5 },
            "example.tensor-fusion.ai", "v1", "gadgets");
        var list = await cluster.Client.CustomObjects.ListClusterCustomObjectAsync<JsonObject>("example.tensor-fusion.ai", "v1", "gadgets");

        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal(5, item["anything"]!.GetValue<int>());
        Assert.Null(item["metadata"]!["namespace"]);
    }

    [Fact]
    public async Task PatchStatus_ThroughClient_StaleVersionInPatchConflicts()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        await cluster.SendAsync(HttpMethod.Post, Widgets, Widget("c", "small").ToJsonString());

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"metadata":{"resourceVersion":"1"},"status":{"phase":"X"}}""", V1Patch.PatchType.MergePatch),
            "example.tensor-fusion.ai", "v1", "default", "widgets", "c"));

        Assert.Equal(HttpStatusCode.Conflict, failure.Response.StatusCode);
    }

    internal static JsonObject Widget(string name, string size) => new()
    {
        ["apiVersion"] = "example.tensor-fusion.ai/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };
}
