using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Host.Operator;

namespace TensorFusion.Host.Tests.OperatorHosting;

public sealed class ConnectionLookupTests
{
    private static readonly TensorFusionConnection Running = new()
    {
        Metadata = new V1ObjectMeta { Name = "client-a", NamespaceProperty = "ml" },
        Status = new TensorFusionConnectionStatus { Phase = ConnectionPhase.Running, WorkerName = "w-0", ConnectionUrl = "native+10.0.0.1+42000+w-0-7" },
    };

    [Fact]
    public void Answer_RunningConnection_200WithTheUrl()
    {
        var (status, body) = ConnectionLookup.Answer((ns, name) => ns == "ml" && name == "client-a" ? Running : null, "client-a", "ml");

        Assert.Equal(200, status);
        Assert.Equal("native+10.0.0.1+42000+w-0-7", (string?)body["connectionURL"]);
        Assert.Equal("w-0", (string?)body["workerName"]);
    }

    [Fact]
    public void Answer_NoWorkerYet_409SoTheClientRetries()
    {
        var pending = new TensorFusionConnection { Metadata = new V1ObjectMeta { Name = "client-b" } };

        var (status, body) = ConnectionLookup.Answer((_, _) => pending, "client-b", "ml");

        Assert.Equal(409, status);
        Assert.Equal("Pending", (string?)body["phase"]);
    }

    [Theory]
    [InlineData(null, "ml", 400)]
    [InlineData("client-a", null, 400)]
    [InlineData("nobody", "ml", 404)]
    public void Answer_MissingParameterOrUnknown_ClearError(string? name, string? @namespace, int expected)
    {
        var (status, body) = ConnectionLookup.Answer((_, _) => null, name, @namespace);

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty((string?)body["error"]));
    }
}
