using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Prometheus;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// How the operator knows it talks to the right agent. Every request to an agent goes over TLS with the node's name as
/// the TLS server name (SNI and the name checked), whatever address it dials; the agent's certificate must chain to
/// the operator's agent CA only (no system roots), name that node as a DNS name, and carry the subject
/// <c>CN=system:tensor-fusion-agent:NODE</c>. Anything else fails the handshake before a byte of the request (or the
/// bearer token) is sent; the reason is kept for the caller's error and counted in
/// <c>tensorfusion_agent_tls_refusals_total{reason}</c>. Connections are pooled per server name, so a connection
/// verified for one node is never reused for another.
/// </summary>
public sealed class AgentChannelTrust
{
    private readonly X509Certificate2 _authority;
    private readonly ConcurrentDictionary<string, string> _lastRefusal = new(StringComparer.Ordinal);
    private readonly Counter _refusals;

    public AgentChannelTrust(X509Certificate2 authority, CollectorRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        _refusals = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.NewCustomRegistry())
            .CreateCounter("tensorfusion_agent_tls_refusals_total", "Agent TLS handshakes the operator refused: certificate not from its agent CA, or naming another node.", "reason");
    }

    /// <summary>Handshakes refused so far.</summary>
    public long Refusals => (long)(_refusals.WithLabels("untrusted").Value + _refusals.WithLabels("wrong-node").Value + _refusals.WithLabels("no-certificate").Value);

    /// <summary>A handler for every call to agents (plans, metrics): TLS 1.2+, trusting the agent CA alone.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        chainPolicy.CustomTrustStore.Add(_authority);
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                CertificateChainPolicy = chainPolicy,
                RemoteCertificateValidationCallback = Validate,
            },
        };
    }

    /// <summary>Addresses <paramref name="request"/> to <paramref name="node"/>'s agent: the node is the TLS server name the certificate must carry.</summary>
    public static void TargetNode(HttpRequestMessage request, string node)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Host = node;
    }

    /// <summary>Why the last handshake with <paramref name="node"/> was refused (null when none was).</summary>
    public string? RefusalFor(string node) => _lastRefusal.TryGetValue(node, out var reason) ? reason : null;

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var node = (sender as SslStream)?.TargetHostName ?? string.Empty;
        var (reason, label) = Check(node, certificate, errors);
        if (reason is null)
        {
            _lastRefusal.TryRemove(node, out _);
            return true;
        }

        _lastRefusal[node] = reason;
        _refusals.WithLabels(label).Inc();
        return false;
    }

    private static (string? Reason, string Label) Check(string node, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return ($"the agent for node {node} presented no certificate", "no-certificate");
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return ($"the certificate presented for node {node} ({presented.Subject}) is not issued by the operator's agent CA", "untrusted");
        }

        var names = string.Join(", ", presented.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(extension => extension.EnumerateDnsNames()));
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || AgentTrust.AgentCsrPolicy.CommonName(presented.SubjectName) != AgentServingIdentity.CommonName(node))
        {
            return ($"the certificate presented for node {node} names another agent ({presented.Subject}; DNS {names})", "wrong-node");
        }

        return errors == SslPolicyErrors.None ? (null, string.Empty) : ($"TLS errors {errors} for node {node}", "untrusted");
    }
}
