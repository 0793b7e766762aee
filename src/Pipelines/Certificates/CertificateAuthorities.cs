using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TensorFusion.Pipelines.Certificates;

/// <summary>What the operator's two CAs (the pod webhook's and the agents') share: how a CA is made and how serials are drawn.</summary>
public static class CertificateAuthorities
{
    /// <summary>A self-signed ECDSA P-256 CA (path length 0, cert and CRL signing), valid from 5 minutes back.</summary>
    public static X509Certificate2 CreateSelfSigned(string commonName, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
        // Re-imported so the private key is usable for signing and by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>16 random bytes with the top bit clear: serials must be positive (RFC 5280), and Go's x509 (Prometheus) refuses others.</summary>
    public static byte[] PositiveSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
