using k8s;
using TensorFusion.Host.Local;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.AgentTrust;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.AgentTrust;

/// <summary>
/// The embedded API server with the shipped identities of deploy/base applied (as local mode does), clients acting as
/// the agent's and the operator's ServiceAccounts and as the admin, and the operator's signer running on a clock.
/// </summary>
internal sealed class TrustCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Threading.Channels.Channel<AgentCsrVerdict> _decisions = System.Threading.Channels.Channel.CreateUnbounded<AgentCsrVerdict>();
    private Task _signing = Task.CompletedTask;

    private TrustCluster(LocalApiServer server, string directory, LocalIdentityFiles identities)
    {
        Server = server;
        _directory = directory;
        Agent = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(identities.AgentKubeconfig));
        OperatorKubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(identities.OperatorKubeconfig));
        Operator = KubeRestClient.FromKubernetes(OperatorKubernetes);
        var adminKubeconfig = Path.Combine(directory, "admin.kubeconfig");
        server.WriteKubeconfig(adminKubeconfig);
        Admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(adminKubeconfig));
    }

    public LocalApiServer Server { get; }

    /// <summary>Acts as system:serviceaccount:tensor-fusion-system:tensorfusion-agent.</summary>
    public Kubernetes Agent { get; }

    /// <summary>Acts as system:serviceaccount:tensor-fusion-system:tensorfusion-operator.</summary>
    public KubeRestClient Operator { get; }

    public Kubernetes Admin { get; }

    public AgentCertificateAuthority? Authority { get; private set; }

    public AgentCertificateSigner? Signer { get; private set; }

    private Kubernetes OperatorKubernetes { get; }

    public static async Task<TrustCluster> StartAsync(params string[] nodes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tf-trust-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var server = await LocalApiServer.StartAsync(new LocalApiServerOptions { RunControllers = false }, CancellationToken.None);
        var identities = await LocalIdentities.InstallAsync(server, directory, new Progress<string>());
        foreach (var node in nodes)
        {
            await server.AddSimulatedNodeAsync(node);
        }

        return new TrustCluster(server, directory, identities);
    }

    /// <summary>Loads or creates the CA as the operator (its Role) and starts its signer on <paramref name="time"/>.</summary>
    public async Task StartSignerAsync(TimeProvider time, TimeSpan? lifetime = null)
    {
        Authority = await AgentCertificateAuthority.LoadOrCreateAsync(Operator, LocalIdentities.Namespace, time, CancellationToken.None);
        Signer = new AgentCertificateSigner(Operator, Authority,
            new AgentSignerOptions { Namespace = LocalIdentities.Namespace, CertificateLifetime = lifetime ?? TimeSpan.FromHours(24) }, time);
        Signer.Decided += (_, verdict) => _decisions.Writer.TryWrite(verdict);
        _signing = Task.Run(() => Signer.RunAsync(_stopping.Token));
    }

    /// <summary>
    /// Waits until the signer has written and counted <paramref name="count"/> more decisions: a requester sees its
    /// request decided (by the watch) a moment before the signer's counter moves.
    /// </summary>
    public async Task<IReadOnlyList<AgentCsrVerdict>> NextDecisionsAsync(int count)
    {
        var verdicts = new List<AgentCsrVerdict>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (verdicts.Count < count)
        {
            try
            {
                verdicts.Add(await _decisions.Reader.ReadAsync(deadline.Token));
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the signer made {verdicts.Count} of {count} decisions within 30 s");
            }
        }

        return verdicts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _signing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        Authority?.Dispose();
        Agent.Dispose();
        OperatorKubernetes.Dispose();
        Admin.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
