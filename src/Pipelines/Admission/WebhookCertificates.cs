using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// The webhook's own TLS: a self-signed CA (1 year) and a serving certificate it signs (30 days) for the Service's DNS
/// names. The serving certificate is renewed when a third of its life is left, under the same CA, so the caBundle the
/// API server holds stays valid; the CA is renewed 60 days before it expires, and the bundle then carries the old and
/// the new CA until the old one expires, so no admission call fails across a renewal. Nothing is written to disk.
/// </summary>
public sealed class WebhookCertificates : IDisposable
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(365);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan CaRenewBefore = TimeSpan.FromDays(60);

    private readonly TimeProvider time;
    private readonly IReadOnlyList<string> dnsNames;
    private readonly Lock gate = new();
    private X509Certificate2 ca;
    private X509Certificate2? previousCa;
    private X509Certificate2 serving;

    public WebhookCertificates(TimeProvider time, IReadOnlyList<string> dnsNames)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dnsNames);
        this.time = time;
        this.dnsNames = dnsNames;
        var now = time.GetUtcNow();
        ca = CreateCa(now);
        serving = CreateServing(ca, now);
    }

    /// <summary>The certificate Kestrel presents now.</summary>
    public X509Certificate2 Serving
    {
        get
        {
            lock (gate)
            {
                return serving;
            }
        }
    }

    public DateTimeOffset ServingNotAfter => new(Serving.NotAfter.ToUniversalTime());

    /// <summary>PEM of every CA the API server should trust (the current one, and the previous one while it lives).</summary>
    public byte[] CaBundle
    {
        get
        {
            lock (gate)
            {
                var pem = new StringBuilder(ca.ExportCertificatePem()).Append('\n');
                if (previousCa is not null)
                {
                    pem.Append(previousCa.ExportCertificatePem()).Append('\n');
                }

                return Encoding.ASCII.GetBytes(pem.ToString());
            }
        }
    }

    /// <summary>Renews what is due; true when anything changed (then publish <see cref="CaBundle"/> again).</summary>
    public bool RenewIfDue()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var changed = false;
            if (previousCa is not null && previousCa.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                previousCa.Dispose();
                previousCa = null;
                changed = true;
            }

            if (ca.NotAfter.ToUniversalTime() - now.UtcDateTime <= CaRenewBefore)
            {
                previousCa?.Dispose();
                previousCa = ca;
                ca = CreateCa(now);
                changed = true;
            }

            if (changed || serving.NotAfter.ToUniversalTime() - now.UtcDateTime <= ServingLifetime / 3)
            {
                var old = serving;
                serving = CreateServing(ca, now);
                old.Dispose();
                changed = true;
            }

            return changed;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            ca.Dispose();
            previousCa?.Dispose();
            serving.Dispose();
        }
    }

    private static X509Certificate2 CreateCa(DateTimeOffset now) => Certificates.CertificateAuthorities.CreateSelfSigned("tensor-fusion-webhook-ca", now, CaLifetime);

    private X509Certificate2 CreateServing(X509Certificate2 issuer, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(dnsNames.Count > 0 ? dnsNames[0] : "localhost")}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var notAfter = now + ServingLifetime;
        if (notAfter > issuer.NotAfter.ToUniversalTime())
        {
            notAfter = issuer.NotAfter.ToUniversalTime();
        }

        using var signed = request.Create(issuer, now.AddMinutes(-5), notAfter, Certificates.CertificateAuthorities.PositiveSerial());
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
