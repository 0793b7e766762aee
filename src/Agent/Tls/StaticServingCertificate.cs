using System.Security.Cryptography.X509Certificates;

namespace TensorFusion.Agent.Tls;

/// <summary>
/// A certificate given up front: from <c>--tls-cert-file</c>/<c>--tls-key-file</c>, or one a test or an embedding
/// host issued. Never renewed; the caller owns it (it is not disposed here).
/// </summary>
public sealed class StaticServingCertificate(X509Certificate2 certificate) : IServingCertificateSource
{
    public X509Certificate2 Current { get; } = certificate.HasPrivateKey
        ? certificate
        : throw new ArgumentException("the serving certificate has no private key", nameof(certificate));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads a PEM certificate (chain) and its PEM private key, naming the file that fails.</summary>
    public static StaticServingCertificate FromPemFiles(string certificateFile, string keyFile)
    {
        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Re-imported so SslStream can use the key on every platform.
            return new StaticServingCertificate(X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null));
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ArgumentException($"--tls-cert-file {certificateFile} / --tls-key-file {keyFile}: {error.Message}", error);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
