using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class PodTemplateTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_KnownVectors_Match(string text, ulong expected)
    {
        Assert.Equal(expected, PodTemplateHash.Fnv1a64(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Merge_ContainersByName_MergedNotReplaced()
    {
        var basis = JsonNode.Parse("""{"spec":{"containers":[{"name":"worker","image":"w:1","env":[{"name":"A","value":"1"}]}],"hostNetwork":true}}""");
        var overlay = JsonNode.Parse("""{"spec":{"containers":[{"name":"worker","env":[{"name":"B","value":"2"}]},{"name":"sidecar","image":"s:1"}],"hostNetwork":null}}""");

        var merged = PodTemplateMerge.Merge(basis, overlay)!;

        Assert.Equal(
            """{"spec":{"containers":[{"name":"worker","image":"w:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"sidecar","image":"s:1"}]}}""",
            merged.ToJsonString());
    }

    [Fact]
    public void Merge_UnnamedList_Replaced()
    {
        var merged = PodTemplateMerge.Merge(JsonNode.Parse("""{"args":["a","b"]}"""), JsonNode.Parse("""{"args":["c"]}"""))!;

        Assert.Equal("""{"args":["c"]}""", merged.ToJsonString());
    }
}
