using k8s.Models;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Api.Tests.Conventions;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("team/llm-0", "team", "llm-0")]
    [InlineData("gpu-pool", "", "gpu-pool")]
    public void Parse_Text_RoundTripsThroughToString(string text, string @namespace, string name)
    {
        var key = ObjectKey.Parse(text);

        Assert.Equal(new ObjectKey(@namespace, name), key);
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void Of_NamespacedObjectWithoutNamespace_IsInDefault()
    {
        Assert.Equal("default/llm-0", ObjectKey.Of(new V1ObjectMeta { Name = "llm-0" }).ToString());
        Assert.Equal("team/llm-0", ObjectKey.Of(new V1ObjectMeta { Name = "llm-0", NamespaceProperty = "team" }).ToString());
    }
}
