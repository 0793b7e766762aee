using System.Text.Json.Nodes;
using TensorFusion.Host.Local;
using TensorFusion.Host.Tests.Cli;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.Host.Tests.Local;

/// <summary>`tensorfusion local` as composed in-process: API server, CRDs, pool, simulated nodes, agents, operator.</summary>
public sealed class LocalEnvironmentTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-local-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task StartAsync_TwoNodesOfTwoGpus_AgentsRegisterEveryGpuAndEndpointsAreWritten()
    {
        var options = new LocalModeOptions { StateDirectory = _directory, Port = 0, Nodes = 2, GpusPerNode = 2, StartPrometheus = false };

        await using var environment = await LocalEnvironment.StartAsync(options, new SynchronousProgress(_ => { }), CancellationToken.None);
        var gpus = environment.Server.Registry.Find("tensor-fusion.ai", "v1", "gpus")!.StorageId;
        var registered = await WaitForCountAsync(environment, gpus, 4);

        Assert.Equal(4, registered);
        var endpoints = JsonNode.Parse(await File.ReadAllTextAsync(environment.EndpointsPath))!;
        Assert.StartsWith("https://127.0.0.1:", endpoints["apiServer"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, endpoints["agents"]!.AsArray().Count);
        Assert.NotNull(endpoints["operatorMetrics"]);
        Assert.True(File.Exists(environment.KubeconfigPath));
    }

    [Fact]
    public async Task StartAsync_OneNode_GpuNodeNamesTheDraRegistrationSocketThatAnswersGetInfo()
    {
        var options = new LocalModeOptions { StateDirectory = _directory, Port = 0, Nodes = 1, GpusPerNode = 1, StartPrometheus = false };
        await using var environment = await LocalEnvironment.StartAsync(options, new SynchronousProgress(_ => { }), CancellationToken.None);
        var gpuNodes = environment.Server.Registry.Find("tensor-fusion.ai", "v1", "gpunodes")!.StorageId;

        var node = environment.Server.Store.Get(gpuNodes, string.Empty, "tf-node-1")!.Value;
        var socket = node["metadata"]!["annotations"]!["tensor-fusion.ai/dra-registration-socket"]!.GetValue<string>();
        using var channel = TensorFusion.KubeletApi.UnixSocketChannel.Create(socket);
        var info = await new TensorFusion.KubeletApi.PluginRegistration.V1.Registration.RegistrationClient(channel)
            .GetInfoAsync(new TensorFusion.KubeletApi.PluginRegistration.V1.InfoRequest(), deadline: DateTime.UtcNow.Add(Wait));

        Assert.Equal("gpu.tensor-fusion.ai", info.Name);
        Assert.EndsWith("/plugins/gpu.tensor-fusion.ai/dra.sock", info.Endpoint, StringComparison.Ordinal);
        Assert.True(File.Exists(info.Endpoint), info.Endpoint);
        var cdiDirectory = node["metadata"]!["annotations"]!["tensor-fusion.ai/cdi-dir"]!.GetValue<string>();
        Assert.Equal(Path.Combine(_directory, "agents", "tf-node-1", "cdi"), cdiDirectory);
    }

    [Fact]
    public async Task StartAsync_SameStateDirectoryTwice_ResumesWithoutDuplicates()
    {
        var options = new LocalModeOptions { StateDirectory = _directory, Port = 0, Nodes = 1, GpusPerNode = 1, StartPrometheus = false };
        string? firstUid;
        await using (var first = await LocalEnvironment.StartAsync(options, new SynchronousProgress(_ => { }), CancellationToken.None))
        {
            firstUid = first.Server.Store.Get("nodes", string.Empty, "tf-node-1")!.Value["metadata"]!["uid"]!.GetValue<string>();
        }

        await using var second = await LocalEnvironment.StartAsync(options, new SynchronousProgress(_ => { }), CancellationToken.None);

        var nodes = second.Server.Store.List("nodes", null, null).Items;
        Assert.Single(nodes);
        Assert.Equal(firstUid, nodes[0].Value["metadata"]!["uid"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--nodes", "0", "--nodes must be between 1 and 256, got 0")]
    [InlineData("--gpu-model", "Voodoo5", "--gpu-model: unknown GPU model 'Voodoo5'")]
    public async Task Invoke_InvalidFlag_NamesTheFlagAndExitsTwo(string flag, string value, string expected)
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("local", "--state-dir", _directory, flag, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    private static async Task<int> WaitForCountAsync(LocalEnvironment environment, string storageId, int expected)
    {
        var (subscription, _) = environment.Server.Store.Subscribe(storageId, null, initialState: true);
        using (subscription)
        {
            using var deadline = new CancellationTokenSource(Wait);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var change in subscription.Events.ReadAllAsync(deadline.Token))
            {
                if (change.Type != WatchEventType.Deleted && change.Current is { } current && seen.Add(current.Key) && seen.Count == expected)
                {
                    return seen.Count;
                }
            }
        }

        return -1;
    }
}
