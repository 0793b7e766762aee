using TensorFusion.LocalCluster;

namespace TensorFusion.Host.Local;

/// <summary>
/// Everything `tensorfusion local` runs in one process: the embedded control plane with its SQLite state, simulated GPU
/// nodes, and (as they are composed in) the CRDs, the default pool, one agent per node and the operator. Dispose to stop,
/// in reverse order of start.
/// </summary>
public sealed class LocalEnvironment : IAsyncDisposable
{
    private readonly LocalEngine _engine = new();
    private LocalPrometheus? _prometheus;

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

    /// <summary>The local Prometheus, or null (not installed, disabled, or it failed to start: <see cref="PrometheusNote"/> says which).</summary>
    public Uri? Prometheus => _prometheus?.Address;

    public string PrometheusNote { get; private set; } = "not started";

    public static async Task<LocalEnvironment> StartAsync(LocalModeOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var stateDirectory = Path.GetFullPath(options.StateDirectory);
        Directory.CreateDirectory(stateDirectory);
        options = options with { StateDirectory = stateDirectory };

        progress.Report($"starting the embedded API server (state in {stateDirectory})");
        var server = await LocalApiServer.StartAsync(
            new LocalApiServerOptions { Port = options.Port, StateDirectory = Path.Combine(stateDirectory, "store"), RunDefaultScheduler = true },
            cancellationToken);
        var environment = new LocalEnvironment(options, server, Path.Combine(stateDirectory, "kubeconfig"));
        try
        {
            server.WriteKubeconfig(environment.KubeconfigPath);
            await LocalClusterBootstrap.InstallCrdsAsync(server, progress);
            await LocalClusterBootstrap.CreateDefaultPoolAsync(server, options.GpuModel, progress);
            await environment.AddNodesAsync(progress);
            var nodes = Enumerable.Range(1, options.Nodes).Select(NodeName).ToList();
            var identities = await LocalIdentities.InstallAsync(server, stateDirectory, progress);
            await environment._engine.WriteAgentTokenAsync(options, identities, cancellationToken);
            await LocalClusterBootstrap.EnsurePodWebhookAsync(server, environment._engine.WebhookUrl, LocalIdentities.Namespace, progress);
            // The operator first: it signs the agents' serving certificates, which each agent waits for before it listens.
            environment._engine.StartOperator(identities.OperatorKubeconfig, progress);
            await environment._engine.StartAgentsAsync(options, identities, nodes, progress, cancellationToken);
            await environment.WriteAgentCaAsync(cancellationToken);
            await environment.StartPrometheusAsync(progress, cancellationToken);
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
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        await _engine.DisposeAsync();
        await Server.DisposeAsync();
    }

    private async Task AddNodesAsync(IProgress<string> progress)
    {
        for (var index = 1; index <= Options.Nodes; index++)
        {
            var name = NodeName(index);
            // Its kubelet prepares worker claims with the node agent's DRA plugin (sockets and CDI specs under the agent's state).
            var kubelet = LocalDelivery.KubeletPaths(Path.Combine(Options.StateDirectory, "agents", name));
            if (Server.Store.Get("nodes", string.Empty, name) is not null)
            {
                await Server.SetSimulatedKubeletPathsAsync(name, kubelet);
                continue;
            }

            progress.Report($"adding simulated node {name} ({Options.GpusPerNode} × {Options.GpuModel})");
            await Server.AddSimulatedNodeAsync(name, new Dictionary<string, string>
            {
                ["nvidia.com/gpu.present"] = "true",
                ["tensor-fusion.ai/gpu-model"] = Options.GpuModel,
            }, kubelet: kubelet);
        }
    }

    private async Task StartPrometheusAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (!Options.StartPrometheus)
        {
            PrometheusNote = "not started (--no-prometheus)";
            return;
        }

        if (LocalPrometheus.FindExecutable() is not { } executable)
        {
            PrometheusNote = "not started: no `prometheus` on PATH (Debian/Ubuntu: apt install prometheus) — metrics stay available on the endpoints above";
            progress.Report(PrometheusNote);
            return;
        }

        progress.Report($"starting Prometheus ({executable}), scraping the operator and {Options.Nodes} agents every 5 s");
        try
        {
            _prometheus = await LocalPrometheus.StartAsync(executable, Options.StateDirectory, _engine.OperatorMetrics!,
                _engine.AgentEndpoints, _engine.AgentTokenFile!, AgentCaFile, LocalEngine.FreeLoopbackPort(), cancellationToken);
            PrometheusNote = $"{_prometheus.Address} (data in {Path.Combine(Options.StateDirectory, "prometheus")})";
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Local mode works without it; say why, once.
            PrometheusNote = $"failed to start, continuing without it: {e.Message}";
            progress.Report($"Prometheus {PrometheusNote}");
        }
    }

    /// <summary>DIR/agent-ca.crt: the operator's agent CA (public), to verify an agent: curl --cacert it, with the node's name as the server name.</summary>
    public string AgentCaFile => Path.Combine(Options.StateDirectory, "agent-ca.crt");

    private async Task WriteAgentCaAsync(CancellationToken cancellationToken)
    {
        var published = Server.Store.Get("configmaps", LocalIdentities.Namespace, Api.Conventions.AgentServingIdentity.CaConfigMapName)
            ?? throw new InvalidOperationException($"the operator published no agent CA (ConfigMap {LocalIdentities.Namespace}/{Api.Conventions.AgentServingIdentity.CaConfigMapName})");
        var pem = published.Value["data"]?[Api.Conventions.AgentServingIdentity.CaConfigMapKey]?.GetValue<string>()
            ?? throw new InvalidOperationException($"ConfigMap {Api.Conventions.AgentServingIdentity.CaConfigMapName} has no {Api.Conventions.AgentServingIdentity.CaConfigMapKey}");
        await File.WriteAllTextAsync(AgentCaFile, pem, cancellationToken);
    }

    private void WriteEndpoints() =>
        new LocalEndpoints(Server.BaseUri.ToString().TrimEnd('/'), _engine.OperatorMetrics, _engine.AgentEndpoints, Prometheus?.ToString().TrimEnd('/')).WriteTo(EndpointsPath);

    internal static string NodeName(int index) => $"tf-node-{index}";
}
