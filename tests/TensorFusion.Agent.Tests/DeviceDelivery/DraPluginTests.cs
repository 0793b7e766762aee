using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Agent.DeviceDelivery.Dra;
using TensorFusion.KubeletApi.Dra.V1;
using TensorFusion.KubeletApi.PluginRegistration.V1;
using KubeletRegistration = TensorFusion.KubeletApi.PluginRegistration.V1.Registration;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>xUnit as the kubelet: registration over the plugin-registry socket, then NodePrepareResources /
/// NodeUnprepareResources on the DRA socket the registration named, over real Unix sockets.</summary>
[Trait("Category", "Integration")]
public sealed class DraPluginTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private readonly DeliveryTestNode _node = new();
    private readonly string _sockets = KubeletChannel.ShortSocketDirectory();
    private DraPluginServer _server = null!;

    public async Task InitializeAsync()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0"), Fractional("train-1", gpu: 1)));
        _server = await StartServerAsync();
    }

    // xUnit calls DisposeAsync (server down) before Dispose (files away).
    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_sockets, recursive: true);
    }

    [Fact]
    public async Task GetInfo_RegistrationSocket_NamesDriverAndDraEndpoint()
    {
        using var channel = KubeletChannel.ForSocket(Path.Combine(_sockets, "registry", "gpu.tensor-fusion.ai-reg.sock"));
        var registration = new KubeletRegistration.RegistrationClient(channel);
        var acknowledged = new TaskCompletionSource<bool>();
        _server.RegistrationStatusChanged += (_, registered) => acknowledged.TrySetResult(registered);

        var info = await registration.GetInfoAsync(new InfoRequest(), deadline: Deadline());
        await registration.NotifyRegistrationStatusAsync(new RegistrationStatus { PluginRegistered = true }, deadline: Deadline());

        Assert.Equal("DRAPlugin", info.Type);
        Assert.Equal("gpu.tensor-fusion.ai", info.Name);
        Assert.Equal(Path.Combine(_sockets, "plugins", "dra.sock"), info.Endpoint);
        Assert.Equal(["v1.DRAPlugin"], info.SupportedVersions);
        Assert.True(await acknowledged.Task.WaitAsync(CallTimeout));
        Assert.True(_server.Registered);
    }

    [Fact]
    public async Task NodePrepareResources_Twice_SameCdiIdsAndOneSpec()
    {
        var plugin = Plugin(out var channel);
        using var _ = channel;

        var first = await plugin.NodePrepareResourcesAsync(Prepare(("train-0-gpu", "uid-0")), deadline: Deadline());
        var second = await plugin.NodePrepareResourcesAsync(Prepare(("train-0-gpu", "uid-0")), deadline: Deadline());

        var device = Assert.Single(first.Claims["uid-0"].Devices);
        Assert.Equal("", first.Claims["uid-0"].Error);
        Assert.Equal(["nvidia.com/gpu=node-a-gpu-0", "tensor-fusion.ai/worker=team_train-0"], device.CdiDeviceIds);
        Assert.Equal(("node-a", "node-a-gpu-0"), (device.PoolName, device.DeviceName));
        Assert.Equal(["gpu"], device.RequestNames);
        Assert.Equal(first, second);
        Assert.Equal(["team_train-0"], _node.NewDelivery().Specs.WorkerKeys());
    }

    [Fact]
    public async Task NodeUnprepareResources_AfterAgentRestart_RemovesTheSpec()
    {
        var plugin = Plugin(out var channel);
        using (channel)
        {
            await plugin.NodePrepareResourcesAsync(Prepare(("train-1-gpu", "uid-1")), deadline: Deadline());
        }

        Assert.True(File.Exists(_node.SpecPath("team_train-1")));
        await _server.DisposeAsync();
        _server = await StartServerAsync(); // a new process: state comes from delivery.json only

        var restarted = Plugin(out var again);
        using var _ = again;
        var answer = await restarted.NodeUnprepareResourcesAsync(Unprepare(("train-1-gpu", "uid-1")), deadline: Deadline());

        Assert.Equal("", answer.Claims["uid-1"].Error);
        Assert.False(File.Exists(_node.SpecPath("team_train-1")));
    }

    [Fact]
    public async Task NodePrepareResources_OneClaimUnplanned_OnlyThatClaimCarriesAnError()
    {
        var plugin = Plugin(out var channel);
        using var _ = channel;

        var answer = await plugin.NodePrepareResourcesAsync(Prepare(("train-0-gpu", "uid-0"), ("stranger-gpu", "uid-x")), deadline: Deadline());

        Assert.Empty(answer.Claims["uid-0"].Error);
        Assert.Equal("worker team/stranger is not in this node's plan (generation 1) yet", answer.Claims["uid-x"].Error);
        Assert.Empty(answer.Claims["uid-x"].Devices);
        Assert.Equal(1, _server.FailedClaims);
    }

    private async Task<DraPluginServer> StartServerAsync()
    {
        var server = new DraPluginServer(NodeName, Path.Combine(_sockets, "plugins"), Path.Combine(_sockets, "registry"), _node.NewDelivery(), NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    private DRAPlugin.DRAPluginClient Plugin(out Grpc.Net.Client.GrpcChannel channel)
    {
        channel = KubeletChannel.ForSocket(_server.PluginSocket);
        return new DRAPlugin.DRAPluginClient(channel);
    }

    private static NodePrepareResourcesRequest Prepare(params (string Name, string Uid)[] claims)
    {
        var request = new NodePrepareResourcesRequest();
        request.Claims.Add(claims.Select(c => new Claim { Namespace = "team", Name = c.Name, Uid = c.Uid }));
        return request;
    }

    private static NodeUnprepareResourcesRequest Unprepare(params (string Name, string Uid)[] claims)
    {
        var request = new NodeUnprepareResourcesRequest();
        request.Claims.Add(claims.Select(c => new Claim { Namespace = "team", Name = c.Name, Uid = c.Uid }));
        return request;
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(CallTimeout);
}
