using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api.Gpus;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Serialization;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Registration;
using TensorFusion.Agent.Tests.Http;
using TensorFusion.LocalCluster;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Registration;

/// <summary>The agent against the embedded API server: GPUNode and GPU objects, heartbeats, failed GPUs.</summary>
public sealed class KubernetesNodeRegistrarTests : IAsyncLifetime, IDisposable
{
    private LocalApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false, UseHttps = false }, CancellationToken.None);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseUri.ToString(), AccessToken = _server.Token });
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _server.Token);
        foreach (var crd in GpuCrds.All)
        {
            using var response = await http.PostAsync(new Uri("apis/apiextensions.k8s.io/v1/customresourcedefinitions", UriKind.Relative),
                new StringContent(crd, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task StartAsync_WithRegistrar_RegistersNodeAndGpusWithCapacity()
    {
        await using var agent = await StartAgentAsync(Create("H100-80GB", gpus: 2), new FakeTimeProvider(Epoch));

        var node = await GetAsync<GpuNode>("gpunodes", NodeName);
        var gpu = await GetAsync<TensorFusion.Api.Gpus.Gpu>("gpus", KubernetesNodeRegistrar.GpuObjectName(GpuUuid(1)));

        Assert.Equal(2, node.Status!.TotalGpus);
        Assert.Equal("1978", node.Status.TotalTflops!.ToString()); // 2 × 989
        Assert.Equal(Epoch.UtcDateTime, node.Status.HypervisorStatus!.LastHeartbeatTime);
        Assert.Equal(GpuPhase.Running, gpu.Status!.Phase);
        Assert.Equal(GpuUuid(1), gpu.Status.Uuid);
        Assert.Equal("989", gpu.Status.Capacity!.Tflops!.ToString());
        Assert.Equal("80Gi", gpu.Status.Capacity.Vram!.ToString());
        Assert.Equal(NodeName, gpu.Metadata.OwnerReferences.Single().Name);
    }

    [Fact]
    public async Task ReconcileTick_GpuLost_MarkedUnknownWithReason()
    {
        var time = new FakeTimeProvider(Epoch);
        var node = Create("A100-80GB", gpus: 2);
        await using var agent = await StartAgentAsync(node, time);
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Agent.Reconciled += (_, _) => ticked.TrySetResult();

        node.Device.InjectFault(0, DeviceHealth.XidCritical, xid: 79);
        time.Advance(TimeSpan.FromSeconds(10));
        await ticked.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var failed = await GetAsync<TensorFusion.Api.Gpus.Gpu>("gpus", KubernetesNodeRegistrar.GpuObjectName(GpuUuid(0)));
        var healthy = await GetAsync<TensorFusion.Api.Gpus.Gpu>("gpus", KubernetesNodeRegistrar.GpuObjectName(GpuUuid(1)));
        Assert.Equal(GpuPhase.Unknown, failed.Status!.Phase);
        Assert.Contains("Xid 79", failed.Status.Message, StringComparison.Ordinal);
        Assert.Equal(GpuPhase.Running, healthy.Status!.Phase);
        Assert.Equal(1, (await GetAsync<GpuNode>("gpunodes", NodeName)).Status!.ManagedGpus);
    }

    [Fact]
    public async Task Heartbeat_TimeAdvances_LastHeartbeatMoves()
    {
        var time = new FakeTimeProvider(Epoch);
        await using var agent = await StartAgentAsync(Create("L4", gpus: 1), time);
        var beat = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Agent.Heartbeat += (_, _) => beat.TrySetResult();

        time.Advance(TimeSpan.FromSeconds(30));
        await beat.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var node = await GetAsync<GpuNode>("gpunodes", NodeName);
        Assert.Equal(Epoch.AddSeconds(30).UtcDateTime, node.Status!.HypervisorStatus!.LastHeartbeatTime);
    }

    [Fact]
    public async Task Heartbeat_GpuNodeDeletedMeanwhile_RecreatedWithItsGpus()
    {
        var time = new FakeTimeProvider(Epoch);
        await using var agent = await StartAgentAsync(Create("L4", gpus: 1), time);
        await _client.CustomObjects.DeleteClusterCustomObjectAsync("tensor-fusion.ai", "v1", "gpunodes", NodeName);
        await _client.CustomObjects.DeleteClusterCustomObjectAsync("tensor-fusion.ai", "v1", "gpus", KubernetesNodeRegistrar.GpuObjectName(GpuUuid(0)));
        var beat = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Agent.Heartbeat += (_, _) => beat.TrySetResult();

        time.Advance(TimeSpan.FromSeconds(30));
        await beat.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The next heartbeat finds the objects gone (404) and registers the node and its GPU again.
        var node = await GetAsync<GpuNode>("gpunodes", NodeName);
        Assert.Equal(Epoch.AddSeconds(30).UtcDateTime, node.Status!.HypervisorStatus!.LastHeartbeatTime);
        var gpu = await GetAsync<TensorFusion.Api.Gpus.Gpu>("gpus", KubernetesNodeRegistrar.GpuObjectName(GpuUuid(0)));
        Assert.Equal(GpuPhase.Running, gpu.Status!.Phase);
        Assert.Equal(node.Metadata.Uid, gpu.Metadata.OwnerReferences.Single().Uid);
    }

    private static readonly DateTimeOffset Epoch = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private async Task<RegisteredAgent> StartAgentAsync(AgentTestNode node, TimeProvider time)
    {
        var options = AgentHarness.Options(node, time) with { Registrar = new KubernetesNodeRegistrar(_client, "0.1.0") };
        return new RegisteredAgent(node, await NodeAgent.StartAsync(options, CancellationToken.None));
    }

    private async Task<T> GetAsync<T>(string plural, string name)
    {
        var raw = await _client.CustomObjects.GetClusterCustomObjectAsync("tensor-fusion.ai", "v1", plural, name);
        return TensorFusionJson.Deserialize<T>(JsonSerializer.Serialize(raw))!;
    }

    private sealed class RegisteredAgent(AgentTestNode node, NodeAgent agent) : IAsyncDisposable
    {
        public NodeAgent Agent { get; } = agent;

        public async ValueTask DisposeAsync()
        {
            await Agent.DisposeAsync();
            node.Dispose();
        }
    }
}
