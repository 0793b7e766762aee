using System.Security.Cryptography.X509Certificates;

namespace TensorFusion.Agent.Tls;

/// <summary>
/// Where the agent's TLS serving certificate comes from. Kestrel asks <see cref="Current"/> on every handshake, so a
/// source may replace the certificate (rotation) without a restart. The agent starts it before it listens and disposes
/// it when it stops.
/// </summary>
public interface IServingCertificateSource : IAsyncDisposable
{
    /// <summary>The certificate (with its private key) to present now; valid after <see cref="StartAsync"/>.</summary>
    X509Certificate2 Current { get; }

    /// <summary>Obtains the first certificate (may wait for a signer) and starts any renewal.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
