using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.Tests.Http;
using TensorFusion.KubeletApi.Dra.V1;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The whole agent as a DRA plugin: a kubelet prepares through the socket, the agent restarts, the kubelet
/// unprepares; plan pushes remove the specs of departed workers.</summary>
[Trait("Category", "Integration")]
public sealed class AgentDeliveryTests : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private readonly AgentTestNode _node = Create();
    private readonly string _sockets = KubeletChannel.ShortSocketDirectory();

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_sockets, recursive: true);
    }

    [Fact]
    public async Task NodeUnprepareResources_AgentRestartedAfterPrepare_SpecSurvivesRestartThenGoes()
    {
        var spec = Path.Combine(_node.StateDirectory, "cdi", "tensor-fusion.ai-worker_team_train-0.json");
        await using (var agent = await StartAgentAsync())
        {
            agent.ApplyPlan(Plan(1, Fractional("train-0")));
            var answer = await PrepareAsync(agent, "train-0-gpu", "uid-0");
            Assert.Equal("", answer.Claims["uid-0"].Error);
        }

        File.Delete(spec); // the node rebooted meanwhile: /var/run/cdi is empty again
        await using var restarted = await StartAgentAsync();

        Assert.True(File.Exists(spec), "the restarted agent rebuilds the spec from delivery.json before the kubelet asks");
        using var channel = KubeletChannel.ForSocket(restarted.DraPlugin!.PluginSocket);
        var request = new NodeUnprepareResourcesRequest();
        request.Claims.Add(new Claim { Namespace = "team", Name = "train-0-gpu", Uid = "uid-0" });
        var unprepared = await new DRAPlugin.DRAPluginClient(channel).NodeUnprepareResourcesAsync(request, deadline: DateTime.UtcNow.Add(CallTimeout));

        Assert.Equal("", unprepared.Claims["uid-0"].Error);
        Assert.False(File.Exists(spec));
    }

    [Fact]
    public async Task ApplyPlan_WorkerLeft_ItsSpecIsRemoved()
    {
        await using var agent = await StartAgentAsync();
        agent.ApplyPlan(Plan(1, Fractional("train-0"), Fractional("train-1", gpu: 1)));
        await PrepareAsync(agent, "train-0-gpu", "uid-0");
        await PrepareAsync(agent, "train-1-gpu", "uid-1");

        agent.ApplyPlan(Plan(2, Fractional("train-1", gpu: 1)));

        Assert.Equal(["team_train-1"], agent.Delivery!.Specs.WorkerKeys());
        Assert.Equal("/usr/local/tensor-fusion/lib/libtfshim.so\n", File.ReadAllText(agent.Delivery.Paths.PreloadHostPath));
    }

    [Fact]
    public async Task StartAsync_SocketPathTooLong_RefusedNamingTheFlag()
    {
        var options = Options() with { Delivery = Delivery() with { PluginDirectory = "/tmp/" + new string('p', 120) } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NodeAgent.StartAsync(options, CancellationToken.None));

        Assert.Contains("--dra-plugin-dir: socket path '/tmp/ppp", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unix sockets allow 107", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LimiterLibraryGiven_InstallsItForWorkers()
    {
        var source = Path.Combine(_node.StateDirectory, "image-libtfshim.so");
        await File.WriteAllTextAsync(source, "ELF stand-in");

        await using var agent = await NodeAgent.StartAsync(Options() with { Delivery = Delivery() with { LimiterLibrarySource = source } }, CancellationToken.None);

        Assert.Equal("ELF stand-in", await File.ReadAllTextAsync(agent.Delivery!.Paths.LimiterLibraryHostPath));
        Assert.False(File.Exists(agent.Delivery.Paths.LimiterLibraryHostPath + ".tmp"));
    }

    [Fact]
    public async Task StartAsync_LimiterLibraryMissing_RefusedNamingTheFlag()
    {
        var options = Options() with { Delivery = Delivery() with { LimiterLibrarySource = "/nonexistent/libtfshim.so" } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NodeAgent.StartAsync(options, CancellationToken.None));

        Assert.Contains("--limiter-library: '/nonexistent/libtfshim.so' does not exist", error.Message, StringComparison.Ordinal);
    }

    private Task<NodeAgent> StartAgentAsync() => NodeAgent.StartAsync(Options() with { Delivery = Delivery() }, CancellationToken.None);

    private AgentOptions Options() => AgentHarness.Options(_node, new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero)));

    private DeviceDeliveryOptions Delivery() => new()
    {
        CdiDirectory = Path.Combine(_node.StateDirectory, "cdi"),
        LimiterDirectory = Path.Combine(_node.StateDirectory, "limiter"),
        PluginDirectory = Path.Combine(_sockets, "plugins"),
        RegistryDirectory = Path.Combine(_sockets, "registry"),
    };

    private static async Task<NodePrepareResourcesResponse> PrepareAsync(NodeAgent agent, string name, string uid)
    {
        using var channel = KubeletChannel.ForSocket(agent.DraPlugin!.PluginSocket);
        var request = new NodePrepareResourcesRequest();
        request.Claims.Add(new Claim { Namespace = "team", Name = name, Uid = uid });
        return await new DRAPlugin.DRAPluginClient(channel).NodePrepareResourcesAsync(request, deadline: DateTime.UtcNow.Add(CallTimeout));
    }
}
