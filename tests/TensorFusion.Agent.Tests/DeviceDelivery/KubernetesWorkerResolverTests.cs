using k8s;
using k8s.Models;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.LocalCluster;

namespace TensorFusion.Agent.Tests.DeviceDelivery;

/// <summary>The claim and pod reader against the embedded API server: the kill switch from the pod, and the name
/// convention when the claim cannot be read.</summary>
[Trait("Category", "Integration")]
public sealed class KubernetesWorkerResolverTests : IAsyncLifetime, IDisposable
{
    private LocalApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false, UseHttps = false }, CancellationToken.None);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseUri.ToString(), AccessToken = _server.Token });
        await CreatePodAsync("limited", labels: null);
        await CreatePodAsync("unlimited", labels: new Dictionary<string, string> { ["tensor-fusion.ai/disable-features"] = "gpu-opt,gpu-limiter" });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("limited", false)]
    [InlineData("unlimited", true)] // upstream's kill switch, read from the pod label
    [InlineData("absent", false)] // not readable yet: the limiter stays on
    public async Task IsLimiterDisabledAsync_PodLabel_FollowsKillSwitch(string pod, bool expected)
    {
        var disabled = await new KubernetesWorkerResolver(_client).IsLimiterDisabledAsync("default", pod, CancellationToken.None);

        Assert.Equal(expected, disabled);
    }

    [Fact]
    public async Task ResolveClaimAsync_ClaimNotReadable_FallsBackToNameConvention()
    {
        var owner = await new KubernetesWorkerResolver(_client).ResolveClaimAsync("default", "limited-gpu", "uid-1", CancellationToken.None);

        Assert.Equal(("default", "limited"), (owner!.Namespace, owner.Worker));
        Assert.Equal(["gpu"], owner.RequestNames);
    }

    [Theory]
    [InlineData("team/train-0", "team", "train-0")]
    [InlineData("team/", null, null)]
    [InlineData("a/b/c", null, null)]
    [InlineData("noslash", null, null)]
    public void ParseWorkerAnnotation_Values_OnlyNamespaceSlashPod(string value, string? @namespace, string? worker)
    {
        var parsed = ClaimNaming.ParseWorkerAnnotation(value);

        Assert.Equal(@namespace, parsed?.Namespace);
        Assert.Equal(worker, parsed?.Worker);
    }

    private async Task CreatePodAsync(string name, Dictionary<string, string>? labels) =>
        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "worker" }] },
        }, "default");
}
