using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Pipelines.Tests.Admission;

public sealed class CaBundleMergeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_AnotherReplicasBundle_BothCasTrustedOursFirst()
    {
        using var ours = new WebhookCertificates(new FakeTimeProvider(Start), ["127.0.0.1"]);
        using var theirs = new WebhookCertificates(new FakeTimeProvider(Start), ["127.0.0.1"]);

        var merged = Read(CaBundleMerge.Merge(theirs.CaBundle, ours.CaBundle, Start));

        Assert.Equal([Read(ours.CaBundle)[0], Read(theirs.CaBundle)[0]], merged);
    }

    [Fact]
    public void Merge_PublishedCaExpired_Dropped()
    {
        using var old = new WebhookCertificates(new FakeTimeProvider(Start), ["127.0.0.1"]);
        using var ours = new WebhookCertificates(new FakeTimeProvider(Start.AddDays(300)), ["127.0.0.1"]);

        var merged = Read(CaBundleMerge.Merge(old.CaBundle, ours.CaBundle, Start.AddDays(366))); // the old CA lived 365 days

        Assert.Equal(Read(ours.CaBundle), merged);
    }

    [Fact]
    public void Merge_ManyRestarts_CappedWithTheNewestKept()
    {
        // Ten earlier processes published a CA each, one day apart; ours plus the 7 newest of theirs fit the cap of 8.
        var published = Array.Empty<byte>();
        var thumbprints = new List<string>();
        for (var day = 0; day < 10; day++)
        {
            using var earlier = new WebhookCertificates(new FakeTimeProvider(Start.AddDays(day)), ["127.0.0.1"]);
            thumbprints.Add(Read(earlier.CaBundle)[0]);
            published = CaBundleMerge.Merge(published, earlier.CaBundle, Start.AddDays(day));
        }

        using var ours = new WebhookCertificates(new FakeTimeProvider(Start.AddDays(10)), ["127.0.0.1"]);
        var merged = Read(CaBundleMerge.Merge(published, ours.CaBundle, Start.AddDays(10)));

        Assert.Equal(CaBundleMerge.MaxCertificates, merged.Count);
        Assert.Equal(Read(ours.CaBundle)[0], merged[0]);
        Assert.Equal(thumbprints.AsEnumerable().Reverse().Take(7), merged.Skip(1));
    }

    [Fact]
    public void Merge_GarbledPublishedBundle_ReplacedByOurs()
    {
        using var ours = new WebhookCertificates(new FakeTimeProvider(Start), ["127.0.0.1"]);

        var merged = Read(CaBundleMerge.Merge(Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"), ours.CaBundle, Start));

        Assert.Equal(Read(ours.CaBundle), merged);
    }

    private static List<string> Read(byte[] bundle)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(Encoding.ASCII.GetString(bundle));
        return [.. collection.Select(certificate => certificate.Thumbprint)];
    }
}
