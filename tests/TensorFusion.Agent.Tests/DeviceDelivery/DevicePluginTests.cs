using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Agent.DeviceDelivery.DevicePlugin;
using TensorFusion.KubeletApi.DevicePlugin.V1Beta1;
using KubeletDevicePlugin = TensorFusion.KubeletApi.DevicePlugin.V1Beta1.DevicePlugin;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>xUnit as the kubelet of a cluster without DRA: registration of the 16 index resources, re-registration
/// after the kubelet restarts, ListAndWatch and Allocate over real Unix sockets.</summary>
[Trait("Category", "Integration")]
public sealed class DevicePluginTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly DeliveryTestNode _node = new();
    private readonly string _sockets = KubeletChannel.ShortSocketDirectory();
    private readonly Dictionary<int, (string, string)> _indexes = new() { [10] = ("team", "train-0"), [1] = ("team", "train-1") };
    private FakeKubelet _kubelet = null!;
    private DevicePluginServer _server = null!;

    public async Task InitializeAsync()
    {
        _node.Applier.Apply(Plan(1, Fractional("train-0"), Fractional("train-1", gpu: 1)));
        _kubelet = await FakeKubelet.StartAsync(_sockets);
        _server = await StartServerAsync(_sockets, useCdi: true);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _kubelet.StopAsync(wipeDirectory: false);
    }

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_sockets, recursive: true);
    }

    [Fact]
    public async Task StartAsync_KubeletRunning_RegistersSixteenIndexResources()
    {
        var requests = await _kubelet.ReadAsync(16, Wait);

        Assert.Equal(Enumerable.Range(0, 16).Select(k => $"tensor-fusion.ai/index_{k:x}"), requests.Select(r => r.ResourceName));
        Assert.All(requests, r => Assert.Equal("v1beta1", r.Version));
        Assert.Equal("tensor-fusion-index_f.sock", requests[15].Endpoint);
        Assert.All(requests, r => Assert.True(File.Exists(Path.Combine(_sockets, r.Endpoint)), r.Endpoint));
    }

    [Fact]
    public async Task KubeletRestart_SocketRecreated_ServesAndRegistersAgain()
    {
        await _kubelet.ReadAsync(16, Wait);
        var again = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.RegisteredWithKubelet += (_, round) => again.TrySetResult(round);

        await _kubelet.StopAsync(wipeDirectory: true); // the kubelet's restart removes every socket in the directory
        await _kubelet.StartAsync();

        Assert.Equal(2, await again.Task.WaitAsync(Wait));
        Assert.Equal(16, (await _kubelet.ReadAsync(16, Wait)).Count);
        using var channel = KubeletChannel.ForSocket(Path.Combine(_sockets, "tensor-fusion-index_0.sock"));
        var options = await new KubeletDevicePlugin.DevicePluginClient(channel).GetDevicePluginOptionsAsync(new Empty(), deadline: Deadline());
        Assert.False(options.PreStartRequired);
    }

    [Fact]
    public async Task KubeletStartsAfterAgent_SocketAppears_RegistersWithoutARestart()
    {
        var directory = KubeletChannel.ShortSocketDirectory();
        try
        {
            await using var server = await StartServerAsync(directory, useCdi: true);
            var registered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.RegisteredWithKubelet += (_, round) => registered.TrySetResult(round);
            Assert.Equal(0, server.Registrations); // no kubelet.sock yet: nothing to register with

            var kubelet = await FakeKubelet.StartAsync(directory);
            try
            {
                Assert.Equal(1, await registered.Task.WaitAsync(Wait));
                Assert.Equal(16, (await kubelet.ReadAsync(16, Wait)).Count);
            }
            finally
            {
                await kubelet.StopAsync(wipeDirectory: false);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ListAndWatch_IndexResource_Lists36HealthyDummyDevices()
    {
        using var channel = KubeletChannel.ForSocket(Path.Combine(_sockets, "tensor-fusion-index_3.sock"));
        using var call = new KubeletDevicePlugin.DevicePluginClient(channel).ListAndWatch(new Empty(), deadline: Deadline());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var devices = call.ResponseStream.Current.Devices;

        Assert.Equal(36, devices.Count); // 1 + 2 + … + 8: every request size can be held at once
        Assert.All(devices, d => Assert.Equal("Healthy", d.Health));
        Assert.Equal("index_3-0", devices[0].ID);
    }

    [Fact]
    public async Task Allocate_Index1WithTwoIds_AnswersPodIndexTenWorkersCdiNames()
    {
        // index_1 with 2 ids → pod index 8·1 + 2 = 10 → team/train-0.
        var answer = await AllocateAsync(_sockets, resource: 1, ids: 2);

        Assert.Equal(["nvidia.com/gpu=node-a-gpu-0", "tensor-fusion.ai/worker=team_train-0"],
            answer.ContainerResponses.Single().CdiDevices.Select(d => d.Name));
        Assert.Empty(answer.ContainerResponses.Single().Envs);
    }

    [Fact]
    public async Task Allocate_CdiOff_AnswersVisibleDevicesEnvAndLimiterMounts()
    {
        var directory = KubeletChannel.ShortSocketDirectory();
        try
        {
            await using var server = await StartServerAsync(directory, useCdi: false);

            var answer = (await AllocateAsync(directory, resource: 0, ids: 1)).ContainerResponses.Single(); // pod index 1 → train-1

            Assert.Equal("node-a-gpu-1", answer.Envs["NVIDIA_VISIBLE_DEVICES"]);
            Assert.Equal("team/train-1", answer.Envs["TENSOR_FUSION_WORKER"]);
            Assert.Equal(["/usr/local/tensor-fusion/lib/libtfshim.so", "/etc/ld.so.preload", "/run/tensor-fusion/region"],
                answer.Mounts.Select(m => m.ContainerPath));
            Assert.Equal([true, true, false], answer.Mounts.Select(m => m.ReadOnly));
            Assert.Empty(answer.CdiDevices);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Allocate_UnknownIndex_NotFoundNamingIndexAndResource()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => AllocateAsync(_sockets, resource: 2, ids: 3));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no worker pod on node node-a has tensor-fusion.ai/index=19 (tensor-fusion.ai/index_2 with 3 devices)", error.Status.Detail);
    }

    private async Task<DevicePluginServer> StartServerAsync(string directory, bool useCdi)
    {
        var server = new DevicePluginServer(NodeName, directory, _node.NewDelivery(), new FixedIndex(_indexes), useCdi, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    private static async Task<AllocateResponse> AllocateAsync(string directory, int resource, int ids)
    {
        using var channel = KubeletChannel.ForSocket(Path.Combine(directory, IndexResources.SocketName(resource)));
        var request = new AllocateRequest();
        var container = new ContainerAllocateRequest();
        container.DevicesIds.Add(IndexResources.DeviceIds(resource).Take(ids));
        request.ContainerRequests.Add(container);
        return await new KubeletDevicePlugin.DevicePluginClient(channel).AllocateAsync(request, deadline: Deadline());
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(Wait);

    private sealed class FixedIndex(Dictionary<int, (string, string)> indexes) : IWorkerIndex
    {
        public Task<(string Namespace, string Worker)?> FindAsync(int podIndex, CancellationToken cancellationToken) =>
            Task.FromResult(indexes.TryGetValue(podIndex, out var worker) ? worker : ((string, string)?)null);
    }
}
