using k8s.Models;
using TensorFusion.Api.Nodes;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

public sealed class AgentAddressBookTests
{
    [Fact]
    public void Resolve_PublishedEndpointInLocalMode_WinsOverNodeAddress()
    {
        var book = Book(GpuNodeWith("https://127.0.0.1:34337"), NodeWith(("InternalIP", "10.0.0.7")), localMode: true);

        Assert.Equal(new Uri("https://127.0.0.1:34337/"), book.Resolve("n1"));
    }

    [Fact]
    public void Resolve_PublishedEndpointInOperatorMode_IgnoredForTheNodesOwnAddress()
    {
        // An agent (or anyone who can write GPUNodes) pointing node n1's pushes at itself changes nothing.
        var book = Book(GpuNodeWith("http://10.9.9.9:9090"), NodeWith(("InternalIP", "10.0.0.7")));

        Assert.Equal(new Uri("https://10.0.0.7:9090/"), book.Resolve("n1"));
    }

    [Fact]
    public void Resolve_NoAnnotation_InternalIpOnAgentPort()
    {
        var book = Book(GpuNodeWith(null), NodeWith(("Hostname", "gpu-a"), ("InternalIP", "10.0.0.7")));

        Assert.Equal(new Uri("https://10.0.0.7:9090/"), book.Resolve("n1"));
    }

    [Fact]
    public void Resolve_Ipv6InternalIp_Bracketed()
    {
        var book = Book(null, NodeWith(("InternalIP", "fd00::7")));

        Assert.Equal(new Uri("https://[fd00::7]:9090/"), book.Resolve("n1"));
    }

    [Fact]
    public void Resolve_OnlyHostname_UsesHostname()
    {
        var book = Book(null, NodeWith(("Hostname", "gpu-a")));

        Assert.Equal(new Uri("https://gpu-a:9090/"), book.Resolve("n1"));
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("ftp://10.0.0.7/")]
    [InlineData("/relative")]
    public void Resolve_UnusableAnnotation_FallsBackToNodeAddress(string published)
    {
        var book = Book(GpuNodeWith(published), NodeWith(("InternalIP", "10.0.0.7")), localMode: true);

        Assert.Equal(new Uri("https://10.0.0.7:9090/"), book.Resolve("n1"));
    }

    [Fact]
    public void Resolve_NothingKnown_Null()
    {
        Assert.Null(Book(null, null).Resolve("n1"));
    }

    private static AgentAddressBook Book(GpuNode? gpuNode, V1Node? node, bool localMode = false) =>
        new(name => name == "n1" ? gpuNode : null, name => name == "n1" ? node : null, 9090, localMode);

    private static GpuNode GpuNodeWith(string? endpoint) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "n1",
            Annotations = endpoint is null ? null : new Dictionary<string, string> { [AgentAddressBook.EndpointAnnotation] = endpoint },
        },
    };

    private static V1Node NodeWith(params (string Type, string Address)[] addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n1" },
        Status = new V1NodeStatus { Addresses = addresses.Select(a => new V1NodeAddress { Address = a.Address, Type = a.Type }).ToList() },
    };
}
