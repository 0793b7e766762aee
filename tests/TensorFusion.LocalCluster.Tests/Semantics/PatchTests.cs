using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Patching;

namespace TensorFusion.LocalCluster.Tests.Semantics;

public sealed class PatchTests
{
    [Fact]
    public void StrategicMerge_Containers_MergeByNameAndEnvByName()
    {
        var pod = JsonNode.Parse("""
            {"spec":{"containers":[
              {"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},
              {"name":"b","image":"b:1"}]}}
            """);
        var patch = JsonNode.Parse("""
            {"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
              "containers":[{"name":"a","env":[{"name":"Y","value":"3"}]},{"name":"c","image":"c:1"}]}}
            """);

        var result = StrategicMergePatch.Apply(pod, patch)!;

        var containers = result["spec"]!["containers"]!.AsArray();
        Assert.Equal(["a", "b", "c"], containers.Select(c => c!["name"]!.ToString()));
        Assert.Equal("a:1", containers[0]!["image"]!.ToString());
        Assert.Equal(["X=1", "Y=3"], containers[0]!["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.Null(result["spec"]!["$setElementOrder/containers"]);
    }

    [Fact]
    public void StrategicMerge_PatchDeleteDirective_RemovesListElement()
    {
        var pod = JsonNode.Parse("""{"spec":{"volumes":[{"name":"v1"},{"name":"v2"}]}}""");

        var result = StrategicMergePatch.Apply(pod, JsonNode.Parse("""{"spec":{"volumes":[{"name":"v1","$patch":"delete"}]}}"""))!;

        Assert.Equal(["v2"], result["spec"]!["volumes"]!.AsArray().Select(v => v!["name"]!.ToString()));
    }

    [Fact]
    public void StrategicMerge_ContainerPorts_MergeByContainerPort()
    {
        var pod = JsonNode.Parse("""{"ports":[{"containerPort":80,"name":"http"}]}""");

        var result = StrategicMergePatch.Apply(pod, JsonNode.Parse("""{"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}]}"""))!;

        Assert.Equal("""[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}]""", result["ports"]!.ToJsonString());
    }

    [Fact]
    public void JsonMergePatch_NullDeletesAndArraysReplace()
    {
        var target = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":3},"e":[1,2]}""");

        var result = JsonMergePatch.Apply(target, JsonNode.Parse("""{"b":{"c":null},"e":[9]}"""))!;

        Assert.Equal("""{"a":1,"b":{"d":3},"e":[9]}""", result.ToJsonString());
    }

    [Fact]
    public void JsonPatch_AddReplaceRemoveMoveTest_AppliesInOrder()
    {
        var target = JsonNode.Parse("""{"a":{"b":1},"list":[1,2,3]}""")!;

        var result = JsonPatch.Apply(target, JsonNode.Parse("""
            [{"op":"test","path":"/a/b","value":1},
             {"op":"replace","path":"/a/b","value":2},
             {"op":"add","path":"/list/-","value":4},
             {"op":"remove","path":"/list/0"},
             {"op":"move","from":"/a","path":"/moved"}]
            """));

        Assert.Equal("""{"list":[2,3,4],"moved":{"b":2}}""", result.ToJsonString());
    }

    [Fact]
    public void JsonPatch_FailedTest_ThrowsInvalid()
    {
        var target = JsonNode.Parse("""{"a":1}""")!;

        var failure = Assert.Throws<TensorFusion.LocalCluster.Http.ApiException>(() =>
            JsonPatch.Apply(target, JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")));

        Assert.Equal(422, failure.Code);
    }

    [Fact]
    public async Task Patch_StrategicOnCustomResource_Answers415()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        await cluster.SendAsync(HttpMethod.Post, "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets", Api.CustomResourceTests.Widget("w", "small").ToJsonString());

        var (status, _) = await cluster.SendAsync(HttpMethod.Patch, "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets/w",
            """{"spec":{"size":"large"}}""", "application/strategic-merge-patch+json");

        Assert.Equal(415, status);
    }

    [Fact]
    public async Task Patch_ApplyWithoutFieldManager_Answers422()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (status, body) = await cluster.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/c",
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n", "application/apply-patch+yaml");

        Assert.Equal(422, status);
        Assert.Contains("fieldManager: Required value", body!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_ApplyOnCustomResource_MergesAndValidatesAgainstTheSchema()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyWidgetsCrdAsync();
        const string path = "apis/example.tensor-fusion.ai/v1/namespaces/default/widgets/w?fieldManager=ops";

        var (created, body) = await cluster.SendAsync(HttpMethod.Patch, path,
            "apiVersion: example.tensor-fusion.ai/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: small\n", "application/apply-patch+yaml");
        var (invalid, _) = await cluster.SendAsync(HttpMethod.Patch, path,
            "apiVersion: example.tensor-fusion.ai/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 12\n", "application/apply-patch+yaml");

        Assert.Equal(200, created);
        Assert.Equal("small", body!["spec"]!["size"]!.ToString());
        Assert.Equal("ops", body["metadata"]!["managedFields"]![0]!["manager"]!.ToString());
        Assert.Equal(422, invalid);
    }
}
