using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TensorFusion.Pipelines.Admission;

/// <summary>
/// The caBundle several operator replicas share. Each replica signs its serving certificate with a CA of its own (kept
/// in memory only), and the API server may call any replica behind the Service, so the published bundle is the union:
/// this replica's CAs first, then every other CA already published that has not expired, at most
/// <see cref="MaxCertificates"/>. A CA of a replica that is gone stays trusted until it expires, which is harmless: its
/// private key went with the process.
/// </summary>
public static class CaBundleMerge
{
    /// <summary>Enough for two replicas across several restarts and a CA renewal; the oldest others are dropped first.</summary>
    public const int MaxCertificates = 8;

    /// <returns>The PEM bundle to publish (bytes, as the caBundle field carries after base64).</returns>
    public static byte[] Merge(byte[]? published, byte[] ours, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ours);
        var own = Read(ours);
        var kept = new List<X509Certificate2>(own);
        var others = Read(published)
            .Where(certificate => certificate.NotAfter.ToUniversalTime() > now.UtcDateTime)
            .Where(certificate => !kept.Any(mine => mine.Thumbprint == certificate.Thumbprint))
            .OrderByDescending(certificate => certificate.NotBefore)
            .Take(Math.Max(0, MaxCertificates - kept.Count));
        kept.AddRange(others);
        var pem = new StringBuilder();
        foreach (var certificate in kept)
        {
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return Encoding.ASCII.GetBytes(pem.ToString());
    }

    private static List<X509Certificate2> Read(byte[]? pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            if (pem is { Length: > 0 })
            {
                collection.ImportFromPem(Encoding.ASCII.GetString(pem));
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A garbled published bundle is replaced by ours rather than blocking every publish.
            return [];
        }

        return [.. collection];
    }
}
