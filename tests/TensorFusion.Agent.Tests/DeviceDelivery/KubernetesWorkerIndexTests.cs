using k8s;
using k8s.Models;
using TensorFusion.Agent.DeviceDelivery.DevicePlugin;
using TensorFusion.Api.Conventions;
using TensorFusion.LocalCluster;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The device plugin's pod-index lookup against the embedded API server: only worker pods on this node count.</summary>
[Trait("Category", "Integration")]
public sealed class KubernetesWorkerIndexTests : IAsyncLifetime, IDisposable
{
    private LocalApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false, UseHttps = false }, CancellationToken.None);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseUri.ToString(), AccessToken = _server.Token });
        await CreateWorkerAsync("train-0", "node-a", index: "10");
        await CreateWorkerAsync("elsewhere", "node-b", index: "11");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(10, "train-0")]
    [InlineData(11, null)] // that index belongs to a pod on another node
    [InlineData(12, null)]
    public async Task FindAsync_PodIndex_OnlyThisNodesWorker(int podIndex, string? expected)
    {
        var found = await new KubernetesWorkerIndex(_client, "node-a").FindAsync(podIndex, CancellationToken.None);

        Assert.Equal(expected, found?.Worker);
    }

    private async Task CreateWorkerAsync(string name, string node, string index) =>
        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { [Labels.Workload] = "train" },
                Annotations = new Dictionary<string, string> { [Annotations.Index] = index },
            },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "worker" }] },
        }, "default");
}
