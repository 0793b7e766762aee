using System.Net;
using System.Net.Sockets;
using k8s;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Registration;
using TensorFusion.Agent.Tls;
using TensorFusion.Host.Admission;
using TensorFusion.Host.Operator;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Host.Local;

/// <summary>
/// The engine half of local mode: one node agent per simulated node (simulator backend, its GPUs registered as GPU and
/// GPUNode objects) and the operator, all talking to the embedded API server through the same kubeconfig a user gets.
/// </summary>
public sealed class LocalEngine : IAsyncDisposable
{
    private readonly List<NodeAgent> _agents = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _webhookPort = FreeLoopbackPort();
    private Kubernetes? _client;
    private Task<int>? _operator;
    private Task? _faults;
    private StreamWriter? _operatorLog;
    private string? _agentTokenFile;

    public IReadOnlyList<LocalAgentEndpoint> AgentEndpoints =>
        _agents.Select(agent => new LocalAgentEndpoint(agent.NodeName, new Uri(agent.BaseAddress, "metrics").ToString())).ToList();

    public string? OperatorMetrics { get; private set; }

    /// <summary>Where the operator serves the pod admission webhook (loopback HTTPS; chosen before the operator starts).</summary>
    public Uri WebhookUrl => new($"https://127.0.0.1:{_webhookPort}{PodWebhookServer.MutatePath}");

    /// <summary>
    /// DIR/agent-token (mode 600): the operator's ServiceAccount token for the agents' audience, which the agents check
    /// through TokenReview. The operator and the local Prometheus send it; users can too.
    /// </summary>
    public string? AgentTokenFile => _agentTokenFile;

    /// <summary>Writes DIR/agent-token (the operator's token for the agents' audience); call before <see cref="StartOperator"/>.</summary>
    public async Task WriteAgentTokenAsync(LocalModeOptions options, LocalIdentityFiles identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identities);
        var tokenFile = Path.Combine(options.StateDirectory, "agent-token");
        await File.WriteAllTextAsync(tokenFile, identities.OperatorAgentToken, cancellationToken);
        _agentTokenFile = tokenFile;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>
    /// Starts the agents under the agent ServiceAccount; they accept only the operator's ServiceAccount. Each asks the
    /// CSR API for its serving certificate and waits for the operator's signer, so call after <see cref="StartOperator"/>.
    /// </summary>
    public async Task StartAgentsAsync(LocalModeOptions options, LocalIdentityFiles identities, IReadOnlyList<string> nodeNames, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(nodeNames);
        ArgumentNullException.ThrowIfNull(progress);
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(identities.AgentKubeconfig));
        var version = typeof(LocalEngine).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        // The simulator knows models by their catalog names; users write aliases such as "H100".
        var model = GpuModelCatalog.Default.Find(options.GpuModel).Name;
        foreach (var node in nodeNames)
        {
            // The port is chosen first so the agent's GPUNode can say where the operator finds it (tensor-fusion.ai/agent-endpoint).
            var port = FreeLoopbackPort();
            var agentState = Path.Combine(options.StateDirectory, "agents", node);
            var delivery = LocalDelivery.Options(agentState, node, _client);
            var agent = await NodeAgent.StartAsync(new AgentOptions
            {
                NodeName = node,
                Port = port,
                StateDirectory = agentState,
                TokenChecker = new TokenReviewTokenChecker(
                    (review, ct) => _client.AuthenticationV1.CreateTokenReviewAsync(review, cancellationToken: ct),
                    LocalIdentities.AgentAudience, new HashSet<string>(StringComparer.Ordinal) { LocalIdentities.OperatorUser }, TimeProvider.System),
                Pool = LocalClusterBootstrap.DefaultPoolName,
                Simulator = new SimulatorOptions(model, options.GpusPerNode, $"GPU-{node}-"),
                // TLS as in a cluster: a key made here, a certificate from the operator's signer through the CSR API.
                ServingCertificate = new CsrServingCertificate(_client, node, TimeProvider.System),
                Registrar = new KubernetesNodeRegistrar(_client, version, new Uri($"https://127.0.0.1:{port}/"), LocalDelivery.Annotations(delivery)),
                Delivery = delivery,
            }, cancellationToken);
            _agents.Add(agent);
            progress.Report($"agent for {node} listening on {agent.BaseAddress} ({options.GpusPerNode} simulated {options.GpuModel}; TLS certificate for {node} from the operator's agent CA)");
        }

        // `kubectl annotate gpu NAME tensor-fusion.ai/simulate-fault=xid-79` fails a simulated GPU (docs/operations.md).
        var injector = new LocalFaultInjector(Pipelines.Kube.KubeRestClient.FromKubernetes(_client), _agents, TimeProvider.System);
        _faults = Task.Run(() => injector.RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Starts the operator (and with it the signer of the agents' certificates); call after <see cref="WriteAgentTokenAsync"/>, whose token file it sends to the agents.</summary>
    public void StartOperator(string kubeconfigPath, IProgress<string> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var port = FreeLoopbackPort();
        OperatorMetrics = $"http://127.0.0.1:{port}/metrics";
        var hostOptions = new OperatorHostOptions
        {
            Kubeconfig = kubeconfigPath,
            MetricsBindAddress = $"127.0.0.1:{port}",
            // The operator's token for the agents' audience; their addresses come from their GPUNodes' agent-endpoint
            // annotations (local mode only: agents share 127.0.0.1), and each must present its node's certificate.
            AgentTokenFile = _agentTokenFile,
            AgentTrustNamespace = LocalIdentities.Namespace,
            // The autoscaler scrapes the agents' /metrics directly with the same token (no --prometheus-url), every 10 s (examples use 15 s intervals).
            // Workers get their GPU through DRA claims, as on a 1.34+ cluster: the simulated kubelet prepares them with the agents.
            Operator = new OperatorOptions { Autoscaling = new AutoscalingOptions { Tick = TimeSpan.FromSeconds(10) }, DraClaims = true, AgentEndpointAnnotation = true },
            // The pod webhook on loopback, with a certificate for 127.0.0.1 (the configuration names this URL).
            WebhookBindAddress = $"127.0.0.1:{_webhookPort}",
            WebhookCertificateNames = ["127.0.0.1", "localhost"],
        };
        // Its warnings (reconciles that keep failing) go to DIR/operator.log, out of the way of the banner.
        _operatorLog = new StreamWriter(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!, "operator.log"), append: true);
        _operator = Task.Run(() => SuperviseOperatorAsync(hostOptions, _operatorLog, _stopping.Token));
        progress.Report($"operator started (metrics {OperatorMetrics})");
    }

    /// <summary>
    /// Runs the operator as a kubelet would with restartPolicy Always: an operator that stops with a non-zero code
    /// (lost Lease, faulted pipeline, unexpected fault; the reason is already in operator.log) is restarted after a
    /// backoff of 1, 2, 4 … 30 s, and the restart is logged there too, so local mode never goes on without an operator.
    /// </summary>
    private static async Task<int> SuperviseOperatorAsync(OperatorHostOptions options, TextWriter log, CancellationToken stopping)
    {
        for (var restarts = 0; ; restarts++)
        {
            var code = await OperatorHost.RunAsync(options, log, stopping);
            if (stopping.IsCancellationRequested)
            {
                return code;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(restarts, 5)));
            await log.WriteLineAsync($"tensorfusion local: the operator stopped with exit code {code}; restarting it in {delay.TotalSeconds:0} s (restart {restarts + 1})");
            await log.FlushAsync(CancellationToken.None);
            await Task.Delay(delay, TimeProvider.System, stopping);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_operator is not null)
        {
            try
            {
                await _operator;
            }
            catch (OperationCanceledException)
            {
                // Stopped while the operator was still starting its endpoint: nothing to drain.
            }
        }

        if (_faults is not null)
        {
            await _faults.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_operatorLog is not null)
        {
            await _operatorLog.DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        _client?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>A port that was free a moment ago; the operator binds it right after.</summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
