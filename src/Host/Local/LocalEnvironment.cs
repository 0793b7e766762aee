using TensorFusion.LocalCluster;

namespace TensorFusion.Host.Local;

/// <summary>
/// Everything `tensorfusion local` runs in one process: the embedded control plane with its SQLite state, simulated GPU
/// nodes, and (as they are composed in) the CRDs, the default pool, one agent per node and the operator. Dispose to stop,
/// in reverse order of start.
/// </summary>
public sealed class LocalEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _started = [];

    private LocalEnvironment(LocalModeOptions options, LocalApiServer server, string kubeconfigPath)
    {
        Options = options;
        Server = server;
        KubeconfigPath = kubeconfigPath;
    }

    public LocalModeOptions Options { get; }

    public LocalApiServer Server { get; }

    public string KubeconfigPath { get; }

    public string EndpointsPath => Path.Combine(Options.StateDirectory, "endpoints.json");

    public static async Task<LocalEnvironment> StartAsync(LocalModeOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var stateDirectory = Path.GetFullPath(options.StateDirectory);
        Directory.CreateDirectory(stateDirectory);
        options = options with { StateDirectory = stateDirectory };

        progress.Report($"starting the embedded API server (state in {stateDirectory})");
        var server = await LocalApiServer.StartAsync(
            new LocalApiServerOptions { Port = options.Port, StateDirectory = Path.Combine(stateDirectory, "store") },
            cancellationToken);
        var environment = new LocalEnvironment(options, server, Path.Combine(stateDirectory, "kubeconfig"));
        try
        {
            server.WriteKubeconfig(environment.KubeconfigPath);
            await LocalClusterBootstrap.InstallCrdsAsync(server, progress);
            await LocalClusterBootstrap.CreateDefaultPoolAsync(server, options.GpuModel, progress);
            await environment.AddNodesAsync(progress);
            environment.WriteEndpoints();
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    private async Task AddNodesAsync(IProgress<string> progress)
    {
        for (var index = 1; index <= Options.Nodes; index++)
        {
            var name = NodeName(index);
            if (Server.Store.Get("nodes", string.Empty, name) is not null)
            {
                continue;
            }

            progress.Report($"adding simulated node {name} ({Options.GpusPerNode} × {Options.GpuModel})");
            await Server.AddSimulatedNodeAsync(name, new Dictionary<string, string>
            {
                ["nvidia.com/gpu.present"] = "true",
                ["tensor-fusion.ai/gpu-model"] = Options.GpuModel,
            });
        }
    }

    private void WriteEndpoints() =>
        new LocalEndpoints(Server.BaseUri.ToString().TrimEnd('/'), null, [], null).WriteTo(EndpointsPath);

    internal static string NodeName(int index) => $"tf-node-{index}";
}
