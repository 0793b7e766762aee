using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TensorFusion.Agent.Tls;
using TensorFusion.Pipelines.AgentTrust;

namespace TensorFusion.IntegrationTests.AgentTrust;

/// <summary>Serving certificates an operator CA issues directly (no CSR round trip), for tests that only need TLS agents.</summary>
internal static class TestAgentCertificates
{
    /// <summary>A certificate with its key, as the CSR path would give the agent on <paramref name="node"/> (naming it).</summary>
    public static X509Certificate2 Issue(AgentCertificateAuthority authority, string node, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = authority.Issue(new PublicKey(key), node, DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromDays(1));
        using var issued = X509Certificate2.CreateFromPem(pem);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public static IServingCertificateSource Source(AgentCertificateAuthority authority, string node) => new StaticServingCertificate(Issue(authority, node));

    /// <summary>The PEM of a certificate, as the signer writes it into status.certificate.</summary>
    public static byte[] Pem(X509Certificate2 certificate) => Encoding.ASCII.GetBytes(certificate.ExportCertificatePem());
}
