using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Tests.Api;

public sealed class SimpleJsonPathTests
{
    private static readonly JsonNode Gpu = JsonNode.Parse("""
        {"status":{"nodeSelector":{"kubernetes.io/hostname":"tf-node-1"},"conditions":[{"type":"Ready","status":"True"}],"capacity":{"tflops":"989"}}}
        """)!;

    [Theory]
    [InlineData(".status.nodeSelector.kubernetes\\.io/hostname", "tf-node-1")] // escaped dot inside a label key
    [InlineData(".status.capacity.tflops", "989")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".status.conditions[0].type", "Ready")]
    public void Evaluate_PrinterColumnPaths_FindTheValue(string path, string expected)
    {
        Assert.Equal(expected, SimpleJsonPath.Evaluate(Gpu, path).Single()?.ToString());
    }

    [Fact]
    public void Evaluate_UnescapedDotInKey_FindsNothing()
    {
        // Without the escape, "kubernetes" and "io/hostname" are two steps, as in kubectl's JSONPath.
        Assert.Empty(SimpleJsonPath.Evaluate(Gpu, ".status.nodeSelector.kubernetes.io/hostname"));
    }
}
