using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Tests.Schema;

/// <summary>CEL rules through the HTTP API: CRDs with rules that do not compile, transition rules, status writes.</summary>
[Trait("Category", "Integration")]
public sealed class CelRuleServerTests
{
    private const string Crds = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private const string Gadgets = "apis/example.tensor-fusion.ai/v1/namespaces/default/gadgets";

    [Theory]
    [InlineData("self.size >", "compilation failed")]
    [InlineData("lookup(self.size) == 1", "undeclared reference to 'lookup'")]
    [InlineData("self.size.sortBy(1)", "found no matching overload for 'sortBy'")]
    [InlineData("other.size == 1", "undeclared reference to 'other'")]
    public async Task CreateCrd_RuleThatDoesNotCompile_RefusedNamingTheRule(string rule, string cause)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (status, body) = await cluster.SendAsync(HttpMethod.Post, Crds, Crd(rule, "size must be set").ToJsonString());

        Assert.Equal(422, status);
        var message = body!["message"]!.GetValue<string>();
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule", message, StringComparison.Ordinal);
        Assert.Contains(cause, message, StringComparison.Ordinal);
        var (getStatus, _) = await cluster.SendAsync(HttpMethod.Get, Crds + "/gadgets.example.tensor-fusion.ai");
        Assert.Equal(404, getStatus);
    }

    [Fact]
    public async Task UpdateCrd_AddingABrokenRule_RefusedAndOldRulesStay()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.SendAsync(HttpMethod.Post, Crds, Crd("self.size != 'huge'", "no huge gadgets").ToJsonString());
        Assert.Equal(201, created.Status);

        var broken = Crd("self.size ==", "broken");
        broken["metadata"]!["resourceVersion"] = created.Body!["metadata"]!["resourceVersion"]!.DeepClone();
        var (status, _) = await cluster.SendAsync(HttpMethod.Put, Crds + "/gadgets.example.tensor-fusion.ai", broken.ToJsonString());
        var (huge, body) = await cluster.SendAsync(HttpMethod.Post, Gadgets, Gadget("g1", "huge"));

        Assert.Equal(422, status);
        Assert.Equal(422, huge);
        Assert.Contains("spec: Invalid value: \"object\": no huge gadgets", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransitionRule_CreateAccepted_ChangingUpdateRefused_OtherChangesAccepted()
    {
        await using var cluster = await TestCluster.StartAsync();
        var crd = Crd("self.size == 'small' || self.size != ''", "unused");
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["size"]!["x-kubernetes-validations"] =
            JsonNode.Parse("""[{"rule":"self == oldSelf","message":"size is immutable","reason":"FieldValueForbidden"}]""");
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, Crds, crd.ToJsonString())).Status);

        var (created, _) = await cluster.SendAsync(HttpMethod.Post, Gadgets, Gadget("g1", "small"));
        var (changed, body) = await cluster.SendAsync(HttpMethod.Patch, Gadgets + "/g1", """{"spec":{"size":"large"}}""", "application/merge-patch+json");
        var (other, _) = await cluster.SendAsync(HttpMethod.Patch, Gadgets + "/g1", """{"spec":{"note":"hello"}}""", "application/merge-patch+json");

        // oldSelf rules run only on update: the create passes, the change of size is refused with the rule's reason.
        Assert.Equal(201, created);
        Assert.Equal(422, changed);
        Assert.Contains("spec.size: Forbidden: size is immutable", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, other);
    }

    [Fact]
    public async Task StatusWrite_BreakingAStatusRule_RefusedWithMessageExpression()
    {
        await using var cluster = await TestCluster.StartAsync();
        var crd = Crd("self.size != ''", "size must not be empty");
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["x-kubernetes-validations"] =
            JsonNode.Parse("""[{"rule":"!has(self.phase) || self.phase.startsWith('Ph')","messageExpression":"'phase ' + self.phase + ' must start with Ph'"}]""");
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, Crds, crd.ToJsonString())).Status);
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, Gadgets, Gadget("g1", "small"))).Status);

        var (bad, body) = await cluster.SendAsync(HttpMethod.Patch, Gadgets + "/g1/status", """{"status":{"phase":"Running"}}""", "application/merge-patch+json");
        var (good, _) = await cluster.SendAsync(HttpMethod.Patch, Gadgets + "/g1/status", """{"status":{"phase":"PhaseOne"}}""", "application/merge-patch+json");

        Assert.Equal(422, bad);
        Assert.Contains("status: Invalid value: \"object\": phase Running must start with Ph", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, good);
    }

    [Fact]
    public async Task RuleThatThrowsAtEvaluation_Is422NotServerError()
    {
        await using var cluster = await TestCluster.StartAsync();
        Assert.Equal(201, (await cluster.SendAsync(HttpMethod.Post, Crds, Crd("self.note.startsWith('x')", "note must start with x").ToJsonString())).Status);

        // No has() guard: with note absent the rule cannot be evaluated ("no such key"), which refuses the write.
        var (status, body) = await cluster.SendAsync(HttpMethod.Post, Gadgets, Gadget("g1", "small"));

        Assert.Equal(422, status);
        Assert.Contains("rule evaluation error", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string Gadget(string name, string size) =>
        $$$"""{"apiVersion":"example.tensor-fusion.ai/v1","kind":"Gadget","metadata":{"name":"{{{name}}}"},"spec":{"size":"{{{size}}}"}}""";

    /// <summary>A namespaced Gadget CRD with one rule on spec.</summary>
    private static JsonObject Crd(string rule, string message) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = "gadgets.example.tensor-fusion.ai" },
        ["spec"] = JsonNode.Parse($$$"""
            {"group":"example.tensor-fusion.ai","scope":"Namespaced","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
             "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
               "schema":{"openAPIV3Schema":{"type":"object","properties":{
                 "spec":{"type":"object","properties":{"size":{"type":"string"},"note":{"type":"string"}},
                   "x-kubernetes-validations":[{"rule":{{{JsonValue.Create(rule).ToJsonString()}}},"message":{{{JsonValue.Create(message).ToJsonString()}}}}]},
                 "status":{"type":"object","properties":{"phase":{"type":"string"} } } } } } } ] }
            """),
    };
}
