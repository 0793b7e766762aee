using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Schema;

namespace TensorFusion.LocalCluster.Tests.Schema;

public sealed class SchemaKeywordTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "tflops":{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true,
                    "pattern":"^\\+?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$","minimum":0,"maximum":100000},
          "count":{"type":"integer","format":"int32"},
          "since":{"type":"string","format":"date-time"},
          "conditions":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],
                        "items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"}}}},
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}}}
        """)!.AsObject();

    [Theory]
    [InlineData("\"abc\"", "spec.tflops", "Invalid value: \"abc\": spec.tflops in body should match")]
    [InlineData("\"-5\"", "spec.tflops", "Invalid value: \"-5\": spec.tflops in body should match")]
    [InlineData("-5", "spec.tflops", "Invalid value: -5: spec.tflops in body should be greater than or equal to 0")]
    [InlineData("200000", "spec.tflops", "Invalid value: 200000: spec.tflops in body should be less than or equal to 100000")]
    [InlineData("2.5", "spec.tflops", "Invalid value: 2.5: spec.tflops in body must be of type integer or string")]
    [InlineData("true", "spec.tflops", "Invalid value: true: spec.tflops in body must be of type integer or string")]
    public void Apply_BadIntOrStringQuantity_RejectedNamingTheField(string json, string field, string message)
    {
        var result = StructuralSchema.Apply(Spec($$"""{"tflops":{{json}}}"""), Schema);

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"10\"")]
    [InlineData("\"500m\"")]
    [InlineData("\"1e400\"")]
    [InlineData("7")]
    public void Apply_QuantityMatchingTheSchema_Accepted(string json)
    {
        // "1e400" matches the quantity pattern, so a real API server stores it too; the operator must survive it.
        Assert.Empty(StructuralSchema.Apply(Spec($$"""{"tflops":{{json}}}"""), Schema).Errors);
    }

    [Fact]
    public void Apply_Int32Overflow_RejectedAsAReadServerDoes()
    {
        var result = StructuralSchema.Apply(Spec("""{"count":2147483648}"""), Schema);

        Assert.Equal(("spec.count", "Invalid value: 2147483648: spec.count in body must be of type int32: \"2147483648\""), Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("2026-12-04T12:00:00Z", true)]
    [InlineData("2026-12-04T12:00:00.123+01:00", true)]
    [InlineData("12/04/2026", false)]
    [InlineData("2026-13-04T12:00:00Z", false)]
    public void Apply_DateTime_OnlyRfc3339(string text, bool valid)
    {
        var result = StructuralSchema.Apply(Spec($$"""{"since":"{{text}}"}"""), Schema);

        Assert.Equal(valid, result.Errors.Count == 0);
    }

    [Fact]
    public void Apply_ListMapWithRepeatedKey_DuplicateValueAtTheSecondItem()
    {
        var result = StructuralSchema.Apply(Spec("""{"conditions":[{"type":"Ready","status":"True"},{"type":"Ready","status":"False"}]}"""), Schema);

        Assert.Equal(("spec.conditions[1]", "Duplicate value: {\"type\":\"Ready\"}"), Assert.Single(result.Errors));
    }

    [Fact]
    public void Apply_SetWithRepeatedItem_DuplicateValue()
    {
        var result = StructuralSchema.Apply(Spec("""{"tags":["a","b","a"]}"""), Schema);

        Assert.Equal(("spec.tags[2]", "Duplicate value: \"a\""), Assert.Single(result.Errors));
    }

    /// <summary>Every schema keyword our generated CRDs use is enforced here (or named below with where it is enforced).</summary>
    [Fact]
    public void ProjectCrds_UseOnlyKeywordsTheServerEnforces()
    {
        string[] enforced =
        [
            "type", "properties", "items", "additionalProperties", "required", "description", "default", "nullable", "enum",
            "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "minProperties", "maxProperties",
            "format", "anyOf", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-embedded-resource",
        ];
        // CEL rules are not evaluated by the embedded API server yet; the operator enforces their C# twins (docs/localcluster.md).
        string[] notYet = ["x-kubernetes-validations"];
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy", "crds"), "*.tensor-fusion.ai.yaml"))
        {
            var crd = JsonNode.Parse(YamlToJson(File.ReadAllText(file)))!;
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                Collect(version!["schema"]!["openAPIV3Schema"]!.AsObject(), used);
            }
        }

        var unknown = used.Except(enforced).Except(notYet).ToArray();
        Assert.True(unknown.Length == 0, "keywords the embedded API server does not enforce: " + string.Join(", ", unknown));
    }

    private static void Collect(JsonObject schema, SortedSet<string> used)
    {
        foreach (var (keyword, value) in schema)
        {
            used.Add(keyword);
            switch (keyword)
            {
                case "properties" when value is JsonObject properties:
                    foreach (var (_, child) in properties)
                    {
                        Collect(child!.AsObject(), used);
                    }

                    break;
                case "items" or "additionalProperties" when value is JsonObject child:
                    Collect(child, used);
                    break;
                case "anyOf" when value is JsonArray options:
                    foreach (var option in options)
                    {
                        Collect(option!.AsObject(), used);
                    }

                    break;
            }
        }
    }

    private static string YamlToJson(string yaml)
    {
        var graph = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(yaml);
        return new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(graph);
    }

    private static JsonObject Spec(string spec) => JsonNode.Parse($$"""{"spec":{{spec}}}""")!.AsObject();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("TensorFusion.slnx not found above the test binaries");
    }
}
