using Microsoft.Extensions.Logging;
using Prometheus;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.AgentTrust;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Host.Operator;

/// <summary>
/// The operator's half of the agent channel's trust, for the life of the process: the agent CA (loaded from, or created
/// in, its Secret), the signer of the agents' certificate requests running in the background, and the TLS trust the
/// plan and metrics clients use. Every replica signs (decisions are idempotent; a replica that loses a write race
/// finds the request decided and skips it).
/// </summary>
public sealed class AgentTrustHost : IAsyncDisposable
{
    private readonly AgentCertificateAuthority _authority;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _signing;

    private AgentTrustHost(AgentCertificateAuthority authority, AgentCertificateSigner signer, CollectorRegistry registry)
    {
        _authority = authority;
        Signer = signer;
        Channel = new AgentChannelTrust(authority.TrustAnchor, registry);
        _signing = Task.Run(() => signer.RunAsync(_stopping.Token));
    }

    public AgentChannelTrust Channel { get; }

    public AgentCertificateSigner Signer { get; }

    /// <summary>Loads or creates the CA and starts signing; null (after writing why to <paramref name="output"/>) when the CA cannot be read or created.</summary>
    public static async Task<AgentTrustHost?> StartAsync(
        KubeRestClient client, OperatorHostOptions options, ILogger logger, CollectorRegistry registry, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        AgentCertificateAuthority authority;
        try
        {
            authority = await AgentCertificateAuthority.LoadOrCreateAsync(client, options.AgentTrustNamespace, TimeProvider.System, cancellationToken);
        }
        catch (Exception error) when (error is ApiStatusException or HttpRequestException or InvalidOperationException)
        {
            await output.WriteLineAsync($"tensorfusion operator: cannot load or create the agent CA (Secret {options.AgentTrustNamespace}/{Api.Conventions.AgentServingIdentity.CaSecretName}): {error.Message}");
            return null;
        }

        var signer = new AgentCertificateSigner(client, authority,
            new AgentSignerOptions { Namespace = options.AgentTrustNamespace, CertificateLifetime = options.AgentCertificateLifetime, Logger = logger },
            TimeProvider.System, registry);
        return new AgentTrustHost(authority, signer, registry);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _signing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _authority.Dispose();
    }
}
