using System.Text.Json.Nodes;
using TensorFusion.Host.Local;
using TensorFusion.Host.Tests.Cli;
using TensorFusion.LocalCluster;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.Host.Tests.Explain;

/// <summary>`explain workload` against the embedded API server over real HTTPS, the way a user runs it.</summary>
public sealed class ExplainCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-explain-").FullName;
    private LocalApiServer? _server;

    private string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        _server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false }, CancellationToken.None);
        _server.WriteKubeconfig(KubeconfigPath);
        await LocalClusterBootstrap.InstallCrdsAsync(_server, new SynchronousProgress(_ => { }));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Invoke_WorkloadInMissingPool_ExplainsThePool()
    {
        var workloads = _server!.Registry.Find("tensor-fusion.ai", "v1", "tensorfusionworkloads")!;
        await _server.Operations.CreateAsync(workloads, "default", JsonNode.Parse("""
            {"apiVersion":"tensor-fusion.ai/v1","kind":"TensorFusionWorkload","metadata":{"name":"orphan","namespace":"default"},
             "spec":{"replicas":2,"poolName":"nowhere","resources":{"requests":{"tflops":"10","vram":"1Gi"},"limits":{"tflops":"10","vram":"1Gi"}}}}
            """)!.AsObject(), new WriteOptions());

        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("explain", "workload", "orphan", "-n", "default", "--kubeconfig", KubeconfigPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("Workload default/orphan is Pending", output, StringComparison.Ordinal);
        Assert.Contains("pool nowhere does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnknownWorkload_FailsWithAHint()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("explain", "workload", "ghost", "--kubeconfig", KubeconfigPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("TensorFusionWorkload default/ghost not found", output, StringComparison.Ordinal);
    }
}
