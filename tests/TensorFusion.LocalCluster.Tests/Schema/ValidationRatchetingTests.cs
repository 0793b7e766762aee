using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Tests.Schema;

public sealed class ValidationRatchetingTests
{
    private static readonly ResourceType Type = new()
    {
        Group = "example.com", Version = "v1", Plural = "things", Kind = "Thing", Singular = "thing", Namespaced = true,
        Schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{"tflops":{"type":"string","pattern":"^[0-9]+$"},"replicas":{"type":"integer"}}},
              "status":{"type":"object","properties":{"phase":{"type":"string"},
                "results":{"type":"array","items":{"type":"object","required":["device"],"properties":{"device":{"type":"string"},"pool":{"type":"string"}}}}}}}}
            """)!.AsObject(),
    };

    [Fact]
    public void ApplySchema_UpdateLeavesAnInvalidFieldUnchanged_Accepted()
    {
        // Stored around the API with "abc"; a status write (or a change elsewhere) must still go through.
        var old = JsonNode.Parse("""{"spec":{"tflops":"abc","replicas":1}}""")!.AsObject();
        var next = JsonNode.Parse("""{"spec":{"tflops":"abc","replicas":2},"status":{"phase":"Pending"}}""")!.AsObject();

        ObjectPreparation.ApplySchema(Type, next, new WriteOptions(), old);
    }

    [Fact]
    public void ApplySchema_UpdateChangesTheFieldToAnotherInvalidValue_Refused()
    {
        var old = JsonNode.Parse("""{"spec":{"tflops":"abc"}}""")!.AsObject();
        var next = JsonNode.Parse("""{"spec":{"tflops":"xyz"}}""")!.AsObject();

        var refused = Assert.Throws<ApiException>(() => ObjectPreparation.ApplySchema(Type, next, new WriteOptions(), old));

        Assert.Equal(422, refused.Code);
        Assert.Contains("spec.tflops", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplySchema_CreateWithTheInvalidValue_Refused()
    {
        var created = JsonNode.Parse("""{"spec":{"tflops":"abc"}}""")!.AsObject();

        Assert.Throws<ApiException>(() => ObjectPreparation.ApplySchema(Type, created, new WriteOptions()));
    }

    [Fact]
    public void ApplySchema_UpdateAddsAnObjectMissingARequiredField_Refused()
    {
        var old = JsonNode.Parse("""{"spec":{"replicas":1}}""")!.AsObject();
        var next = JsonNode.Parse("""{"spec":{"replicas":1},"status":{"results":[{"pool":"node-1"}]}}""")!.AsObject();

        var refused = Assert.Throws<ApiException>(() => ObjectPreparation.ApplySchema(Type, next, new WriteOptions(), old));

        Assert.Contains("status.results[0].device: Required value", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplySchema_UpdateLeavesAnObjectMissingARequiredFieldUnchanged_Accepted()
    {
        // Stored around the API without the required device; a change elsewhere must still go through.
        var old = JsonNode.Parse("""{"spec":{"replicas":1},"status":{"results":[{"pool":"node-1"}]}}""")!.AsObject();
        var next = JsonNode.Parse("""{"spec":{"replicas":2},"status":{"results":[{"pool":"node-1"}]}}""")!.AsObject();

        ObjectPreparation.ApplySchema(Type, next, new WriteOptions(), old);
    }
}
