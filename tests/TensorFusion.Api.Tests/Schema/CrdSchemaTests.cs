using System.Text.Json.Nodes;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Api.Tests.Schema;

public sealed class CrdSchemaTests
{
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in ApiKinds.All)
        {
            data.Add(kind.Kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_EveryStringListAndMap_IsBounded(string kindName)
    {
        var crd = CrdGenerator.Generate(ApiKinds.All.Single(kind => kind.Kind == kindName));
        var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        var unbounded = new List<string>();

        Walk(schema["properties"]!["spec"], "spec");
        Walk(schema["properties"]!["status"], "status");

        Assert.True(unbounded.Count == 0, "unbounded: " + string.Join(", ", unbounded));

        void Walk(JsonNode? node, string path)
        {
            if (node is not JsonObject schemaNode)
            {
                return;
            }

            var type = (string?)schemaNode["type"];
            var bounded = type switch
            {
                "string" => schemaNode.ContainsKey("maxLength") || schemaNode.ContainsKey("enum") || schemaNode.ContainsKey("format"),
                "array" => schemaNode.ContainsKey("maxItems"),
                "object" when schemaNode.ContainsKey("additionalProperties") => schemaNode.ContainsKey("maxProperties"),
                _ => true,
            };
            if (!bounded)
            {
                unbounded.Add(path);
            }

            foreach (var (name, child) in schemaNode["properties"]?.AsObject() ?? [])
            {
                Walk(child, $"{path}.{name}");
            }

            Walk(schemaNode["items"], path + "[]");
            Walk(schemaNode["additionalProperties"], path + "{}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_EveryKind_HasStatusSubresourceAndUpstreamScope(string kindName)
    {
        var kind = ApiKinds.All.Single(candidate => candidate.Kind == kindName);

        var crd = CrdGenerator.Generate(kind);

        Assert.Equal($"{kind.Plural}.tensor-fusion.ai", (string?)crd["metadata"]!["name"]);
        Assert.NotNull(crd["spec"]!["versions"]![0]!["subresources"]!["status"]);
        var expectedScope = kindName is "TensorFusionWorkload" or "WorkloadProfile" or "GPUResourceQuota" or "TensorFusionConnection" ? "Namespaced" : "Cluster";
        Assert.Equal(expectedScope, (string?)crd["spec"]!["scope"]);
    }

    [Fact]
    public void Generate_Workload_HasTheRequiredPrinterColumnsShortNameAndBounds()
    {
        var crd = CrdGenerator.Generate(ApiKinds.Of(typeof(TensorFusionWorkload)));
        var version = crd["spec"]!["versions"]![0]!;
        var spec = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!;
        var status = version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!;

        var columns = version["additionalPrinterColumns"]!.AsArray()
            .Where(column => column!["priority"] is null)
            .Select(column => (string?)column!["name"]);

        Assert.Equal(["Phase", "Worker Count", "Ready Workers", "Pool", "QoS", "GPU Model", "Age"], columns);
        Assert.Equal("tfw", (string?)crd["spec"]!["names"]!["shortNames"]![0]);
        Assert.Equal(1, (long?)spec["gpuCount"]!["minimum"]);
        Assert.Equal(128, (long?)spec["gpuCount"]!["maximum"]);
        Assert.Equal(["low", "medium", "high", "critical"], spec["qos"]!["enum"]!.AsArray().Select(value => (string?)value));
        Assert.Equal("Pending", (string?)status["phase"]!["default"]);
        Assert.Equal(["Pending", "Running", "Failed", "Unknown"], status["phase"]!["enum"]!.AsArray().Select(value => (string?)value));
        var compute = spec["resources"]!["properties"]!["requests"]!["properties"]!["compute"]!;
        Assert.Equal(100, (long?)compute["maximum"]);
        Assert.True((bool?)compute["x-kubernetes-int-or-string"]);
        Assert.True((bool?)spec["workerPodTemplate"]!["x-kubernetes-preserve-unknown-fields"]);
        Assert.Equal("object", (string?)spec["nodeAffinity"]!["type"]);
    }
}
