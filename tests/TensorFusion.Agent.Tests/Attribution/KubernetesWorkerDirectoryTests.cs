using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Api.Conventions;
using TensorFusion.Agent.Attribution;
using TensorFusion.LocalCluster;

namespace TensorFusion.Agent.Tests.Attribution;

/// <summary>The directory against the embedded API server: only worker pods on this node, refresh throttled.</summary>
public sealed class KubernetesWorkerDirectoryTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private LocalApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false, UseHttps = false }, CancellationToken.None);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseUri.ToString(), AccessToken = _server.Token });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task WorkerKeyOf_WorkerPodOnThisNode_AnswersAfterOneRefresh()
    {
        var worker = await CreatePodAsync("llm-worker-0", "node-a", isWorker: true);
        var elsewhere = await CreatePodAsync("llm-worker-1", "node-b", isWorker: true);
        var client = await CreatePodAsync("web", "node-a", isWorker: false);
        var directory = new KubernetesWorkerDirectory(_client, "node-a", _time, Interval);

        Assert.Null(directory.WorkerKeyOf(worker)); // unknown: starts the refresh
        await directory.WaitForRefreshAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("team-a_llm-worker-0", directory.WorkerKeyOf(worker));
        Assert.Null(directory.WorkerKeyOf(elsewhere)); // another node's pod is not listed
        Assert.Null(directory.WorkerKeyOf(client)); // not a worker
    }

    [Fact]
    public async Task WorkerKeyOf_UnknownUidsWithinTheInterval_ListsOnlyOnce()
    {
        var directory = new KubernetesWorkerDirectory(_client, "node-a", _time, Interval);
        Assert.Null(directory.WorkerKeyOf("00000000-0000-0000-0000-000000000001"));
        await directory.WaitForRefreshAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var late = await CreatePodAsync("late-worker", "node-a", isWorker: true);

        _time.Advance(TimeSpan.FromSeconds(14)); // 14 s < 15 s: no second list yet
        Assert.Null(directory.WorkerKeyOf(late));
        await directory.WaitForRefreshAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(directory.WorkerKeyOf(late));

        _time.Advance(TimeSpan.FromSeconds(1)); // 15 s: the next miss re-lists
        Assert.Null(directory.WorkerKeyOf(late));
        await directory.WaitForRefreshAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("team-a_late-worker", directory.WorkerKeyOf(late));
    }

    private async Task<string> CreatePodAsync(string name, string node, bool isWorker)
    {
        if (await _client.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.name=team-a") is { Items.Count: 0 })
        {
            await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        }

        var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = isWorker ? new Dictionary<string, string> { [Labels.Workload] = "llm" } : null,
            },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "team-a");
        return pod.Metadata.Uid;
    }
}
