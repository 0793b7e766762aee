using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Patching;

namespace TensorFusion.LocalCluster.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private const string Now = "2026-01-01T00:00:00Z";

    [Fact]
    public void Apply_Absent_CreatesWithManagerOwningEveryLeaf()
    {
        var applied = Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"app":"x"}},"data":{"a":"1"}}""");

        var result = ServerSideApply.Apply(null, applied, "deployer", force: false, Now);

        var entry = result["metadata"]!["managedFields"]![0]!;
        Assert.Equal("1", result["data"]!["a"]!.ToString());
        Assert.Equal("deployer", entry["manager"]!.ToString());
        Assert.Equal("Apply", entry["operation"]!.ToString());
        Assert.Equal("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public void Apply_FieldDroppedFromConfiguration_IsRemoved()
    {
        var first = ServerSideApply.Apply(null, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"""), "m", false, Now);

        var second = ServerSideApply.Apply(first, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "m", false, Now);

        Assert.Equal("""{"a":"1"}""", second["data"]!.ToJsonString());
    }

    [Fact]
    public void Apply_ChangingAnotherManagersField_ConflictsNamingFieldAndManager()
    {
        var owned = ServerSideApply.Apply(null, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "first", false, Now);

        var failure = Assert.Throws<ApiException>(() =>
            ServerSideApply.Apply(owned, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"2"}}"""), "second", false, Now));

        Assert.Equal(409, failure.Code);
        Assert.Contains("conflict with \"first\": .data.a", failure.Message, StringComparison.Ordinal);
        Assert.Equal(".data.a", failure.Details!["causes"]![0]!["field"]!.ToString());
    }

    [Fact]
    public void Apply_ForcedConflict_MovesOwnership()
    {
        var owned = ServerSideApply.Apply(null, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"1"}}"""), "first", false, Now);

        var forced = ServerSideApply.Apply(owned, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"2"}}"""), "second", true, Now);

        var managers = forced["metadata"]!["managedFields"]!.AsArray().ToDictionary(entry => entry!["manager"]!.ToString(), entry => entry!["fieldsV1"]!.ToJsonString());
        Assert.Equal("2", forced["data"]!["a"]!.ToString());
        Assert.Equal("""{"f:data":{"f:b":{}}}""", managers["first"]);
        Assert.Equal("""{"f:data":{"f:a":{}}}""", managers["second"]);
    }

    [Fact]
    public void Apply_SameValueAsAnotherManager_SharesWithoutConflict()
    {
        var owned = ServerSideApply.Apply(null, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "first", false, Now);

        var shared = ServerSideApply.Apply(owned, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "second", false, Now);
        // The first manager stops applying "a": the second still owns it, so it stays.
        var released = ServerSideApply.Apply(shared, Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{}}"""), "first", false, Now);

        Assert.Equal(2, shared["metadata"]!["managedFields"]!.AsArray().Count);
        Assert.Equal("1", released["data"]!["a"]!.ToString());
    }

    [Fact]
    public void Apply_Lists_AreOwnedWhole()
    {
        var owned = ServerSideApply.Apply(null, Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}]}}"""), "m", false, Now);

        var entry = owned["metadata"]!["managedFields"]![0]!;

        Assert.Equal("""{"f:spec":{"f:containers":{}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
