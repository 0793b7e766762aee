using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Schema;

namespace TensorFusion.LocalCluster.Tests.Schema;

public sealed class StructuralSchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "replicas":{"type":"integer"},
          "mode":{"type":"string","default":"shared"},
          "note":{"type":"string","nullable":true},
          "items":{"type":"array","items":{"type":"string"}}}}}}
        """)!.AsObject();

    [Fact]
    public void Apply_NullForNonNullableField_PrunedThenDefaulted()
    {
        var value = JsonNode.Parse("""{"spec":{"replicas":null,"mode":null,"note":null}}""")!.AsObject();

        var result = StructuralSchema.Apply(value, Schema);

        // As the API server: nulls of non-nullable fields are dropped before defaulting; nullable ones stay null.
        Assert.Empty(result.Errors);
        Assert.Equal("""{"note":null,"mode":"shared"}""", value["spec"]!.ToJsonString());
    }

    [Fact]
    public void Apply_NullInsideAnArray_IsAnErrorWithItsPath()
    {
        var value = JsonNode.Parse("""{"spec":{"items":["a",null]}}""")!.AsObject();

        var result = StructuralSchema.Apply(value, Schema);

        Assert.Equal(("spec.items[1]", "Invalid value: \"null\": must not be null"), Assert.Single(result.Errors));
    }
}
