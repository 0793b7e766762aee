using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.LocalCluster.Selectors;

namespace TensorFusion.LocalCluster.Tests.Semantics;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "gpu" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!zone", true)]
    [InlineData("app=web,tier in (gpu, cpu)", true)]
    [InlineData("app=web,zone", false)]
    public void LabelSelector_EveryOperator_MatchesAsKubernetes(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Fact]
    public void LabelSelector_Malformed_ThrowsBadRequestNamingTheSelector()
    {
        var failure = Assert.Throws<TensorFusion.LocalCluster.Http.ApiException>(() => LabelSelector.Parse("app=web,,"));

        Assert.Equal(400, failure.Code);
        Assert.Contains("app=web,,", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldSelector_NodeNameAndPhase_MatchesPods()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","namespace":"default"},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}""")!.AsObject();

        Assert.True(FieldSelector.Parse("spec.nodeName=n1,status.phase=Running").Matches(pod));
        Assert.True(FieldSelector.Parse("metadata.namespace==default,metadata.name!=q").Matches(pod));
        Assert.False(FieldSelector.Parse("spec.nodeName=").Matches(pod));
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughEverything()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var index = 0; index < 7; index++)
        {
            await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"m{index}" } }, "default");
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: token);
            names.AddRange(page.Items.Select(item => item.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(Enumerable.Range(0, 7).Select(index => $"m{index}"), names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_FieldSelectorOnName_ReturnsOnlyThatObject()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "one" } }, "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "two" } }, "default");

        var list = await cluster.Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=two");

        Assert.Equal("two", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task List_AsTable_HasPodColumnsAndPartialMetadataRows()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x" }] },
        }, "default");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/pods");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        using var response = await cluster.Http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        var row = table["rows"]![0]!;
        Assert.Equal(["p", "0/1", "Pending", "0"], row["cells"]!.AsArray().Take(4).Select(c => c!.ToString()));
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.ToString());
    }
}
