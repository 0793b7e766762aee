using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Prometheus;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>
/// The signer of <see cref="AgentServingIdentity.SignerName"/>: watches CertificateSigningRequests, and for each
/// pending one of its signer applies <see cref="AgentCsrPolicy"/> and checks that the named Node exists; then approves
/// it (<c>/approval</c>, condition Approved) and writes the certificate <see cref="AgentCertificateAuthority"/> issues
/// (<c>/status</c>), or denies it (condition Denied, the reason in its message). Every decision is logged and counted
/// in <c>tensorfusion_agent_certificates_total{outcome="issued"|"denied"}</c>; a failed write is retried with backoff.
/// </summary>
public sealed partial class AgentCertificateSigner(
    KubeRestClient client, AgentCertificateAuthority authority, AgentSignerOptions options, TimeProvider time, CollectorRegistry? registry = null)
    : IReconciler<string>
{
    private static readonly ResourceDescriptor Requests = new("CertificateSigningRequest", "certificates.k8s.io", "v1", "certificatesigningrequests", Namespaced: false);
    private readonly Counter _decisions = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.NewCustomRegistry())
        .CreateCounter("tensorfusion_agent_certificates_total", "Agent serving certificate requests decided by the operator's signer.", "outcome");
    private readonly IReadOnlySet<string> _agentUsers = options.EffectiveAgentUsers;
    private Informer<V1CertificateSigningRequest>? _requests;

    /// <summary>Raised after each decision was written and counted (the verdict says which).</summary>
    public event EventHandler<AgentCsrVerdict>? Decided;

    /// <summary>Certificates issued so far (tests and logs).</summary>
    public long Issued => (long)_decisions.WithLabels("issued").Value;

    public long Denied => (long)_decisions.WithLabels("denied").Value;

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var requests = new Informer<V1CertificateSigningRequest>(client, Requests, new InformerOptions { Logger = options.Logger }, time, Random.Shared);
        using var queue = new WorkQueue<string>(time);
        using var loop = new ReconcileLoop<string>(queue, this, new ReconcileLoopOptions { MaxConcurrentReconciles = 2, Logger = options.Logger }, time);
        _requests = requests;
        using var subscription = requests.Changes.Subscribe(change =>
        {
            if (change.Type != ChangeType.Deleted && change.Current.Spec?.SignerName == AgentServingIdentity.SignerName)
            {
                queue.Add(change.Current.Metadata.Name);
            }
        });
        var informing = requests.RunAsync(cancellationToken);
        try
        {
            await loop.RunAsync(cancellationToken);
        }
        finally
        {
            queue.ShutDown();
            await informing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (_requests?.Get(null, key) is not { } csr)
        {
            return ReconcileResult.Done;
        }

        var verdict = AgentCsrPolicy.Review(csr, _agentUsers);
        if (verdict.Decision == AgentCsrDecision.Sign
            && await client.TryGetAsync<V1Node>($"api/v1/nodes/{Uri.EscapeDataString(verdict.Node!)}", cancellationToken) is null)
        {
            verdict = AgentCsrVerdict.Deny(verdict.Node, $"node \"{verdict.Node}\" does not exist");
        }

        switch (verdict.Decision)
        {
            case AgentCsrDecision.Skip:
                return ReconcileResult.Done;
            case AgentCsrDecision.Deny:
                await DecideAsync(csr, "Denied", "AgentCertificatePolicy", verdict.Reason, cancellationToken);
                _decisions.WithLabels("denied").Inc();
                LogDenied(options.Logger, key, csr.Spec.Username ?? "", verdict.Reason);
                Decided?.Invoke(this, verdict);
                return ReconcileResult.Done;
        }

        if (!(csr.Status?.Conditions ?? []).Any(condition => condition.Type == "Approved"))
        {
            csr = await DecideAsync(csr, "Approved", "AgentCertificatePolicy", $"serving certificate of the agent on node {verdict.Node}", cancellationToken);
        }

        var lifetime = options.CertificateLifetime;
        if (csr.Spec.ExpirationSeconds is { } seconds && TimeSpan.FromSeconds(seconds) < lifetime)
        {
            lifetime = TimeSpan.FromSeconds(seconds);
        }

        var now = time.GetUtcNow();
        var pem = authority.Issue(verdict.PublicKey!, verdict.Node!, now, lifetime);
        var patch = new JsonObject { ["status"] = new JsonObject { ["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)) } };
        await client.MergePatchAsync<V1CertificateSigningRequest>($"{Requests.ObjectPath(null, key)}/status", patch, cancellationToken);
        _decisions.WithLabels("issued").Inc();
        LogIssued(options.Logger, key, verdict.Node!, now + lifetime);
        Decided?.Invoke(this, verdict);
        return ReconcileResult.Done;
    }

    private Task<V1CertificateSigningRequest> DecideAsync(V1CertificateSigningRequest csr, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var conditions = new List<V1CertificateSigningRequestCondition>(csr.Status?.Conditions ?? [])
        {
            new() { Type = type, Status = "True", Reason = reason, Message = message, LastUpdateTime = time.GetUtcNow().UtcDateTime },
        };
        var decided = new V1CertificateSigningRequest
        {
            ApiVersion = "certificates.k8s.io/v1",
            Kind = "CertificateSigningRequest",
            Metadata = csr.Metadata,
            Spec = csr.Spec,
            Status = new V1CertificateSigningRequestStatus { Conditions = conditions, Certificate = csr.Status?.Certificate },
        };
        return client.ReplaceAsync($"{Requests.ObjectPath(null, csr.Metadata.Name)}/approval", decided, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent certificate request {Name} for node {Node} approved and signed; valid until {NotAfter:u}")]
    private static partial void LogIssued(ILogger logger, string name, string node, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent certificate request {Name} from {User} denied: {Reason}")]
    private static partial void LogDenied(ILogger logger, string name, string user, string reason);
}
