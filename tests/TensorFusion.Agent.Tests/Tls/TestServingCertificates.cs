using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TensorFusion.Agent.Tls;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Agent.Tests.Tls;

/// <summary>
/// A test CA (made once per run, in memory) and serving certificates it signs for a node, so every agent a test starts
/// serves TLS for a few milliseconds of key generation; <see cref="Handler"/> trusts exactly that CA.
/// </summary>
internal static class TestServingCertificates
{
    private static readonly Lazy<X509Certificate2> Ca = new(CreateCa);

    public static X509Certificate2 Authority => Ca.Value;

    public static IServingCertificateSource For(string node) => new StaticServingCertificate(Issue(node));

    /// <summary>A certificate from the test CA for <paramref name="node"/>, valid from a little before <paramref name="notBefore"/> for <paramref name="lifetime"/>.</summary>
    public static X509Certificate2 Issue(string node, DateTimeOffset? notBefore = null, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + AgentServingIdentity.CommonName(node), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var from = (notBefore ?? DateTimeOffset.UtcNow).AddMinutes(-5);
        using var issued = request.Create(Ca.Value, from, from + (lifetime ?? TimeSpan.FromDays(1)), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>An HTTP handler that accepts a server certificate only when the test CA issued it (any name: tests dial 127.0.0.1).</summary>
    public static SocketsHttpHandler Handler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && IssuedByCa(certificate),
        },
    };

    private static bool IssuedByCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca.Value);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=agent-tests-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
    }
}
