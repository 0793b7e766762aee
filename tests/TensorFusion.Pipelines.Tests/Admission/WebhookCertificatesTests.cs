using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Pipelines.Tests.Admission;

public sealed class WebhookCertificatesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RenewIfDue_ServingCertificateWithMoreThanAThirdLeft_NothingChanges()
    {
        var clock = new FakeTimeProvider(Start);
        using var certificates = new WebhookCertificates(clock, ["127.0.0.1"]);
        var serving = certificates.Serving.Thumbprint;

        clock.Advance(TimeSpan.FromDays(19)); // 30-day certificate, 11 days left > 10

        Assert.False(certificates.RenewIfDue());
        Assert.Equal(serving, certificates.Serving.Thumbprint);
    }

    [Fact]
    public void RenewIfDue_ServingCertificateUnderAThirdLeft_RenewedUnderTheSameCa()
    {
        var clock = new FakeTimeProvider(Start);
        using var certificates = new WebhookCertificates(clock, ["127.0.0.1"]);
        var serving = certificates.Serving.Thumbprint;
        var bundle = certificates.CaBundle;

        clock.Advance(TimeSpan.FromDays(21)); // 9 days left ≤ 10

        Assert.True(certificates.RenewIfDue());
        Assert.NotEqual(serving, certificates.Serving.Thumbprint);
        Assert.Equal(bundle, certificates.CaBundle); // the API server's caBundle stays valid
        Assert.Equal(Start.AddDays(51).UtcDateTime, certificates.Serving.NotAfter.ToUniversalTime()); // renewed at day 21, 30 days
        Assert.True(ChainsTo(certificates.Serving, certificates.CaBundle, Start.AddDays(22)));
    }

    [Fact]
    public void RenewIfDue_CaWithinSixtyDaysOfExpiry_BundleCarriesOldAndNewUntilOldExpires()
    {
        var clock = new FakeTimeProvider(Start);
        using var certificates = new WebhookCertificates(clock, ["127.0.0.1"]);

        clock.Advance(TimeSpan.FromDays(306)); // CA (365 days) has 59 days left
        Assert.True(certificates.RenewIfDue());
        Assert.Equal(2, Count(certificates.CaBundle));
        Assert.True(ChainsTo(certificates.Serving, certificates.CaBundle, Start.AddDays(307)));

        clock.Advance(TimeSpan.FromDays(60)); // day 366: the old CA has expired
        Assert.True(certificates.RenewIfDue());
        Assert.Equal(1, Count(certificates.CaBundle));
    }

    private static int Count(byte[] bundle)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(Encoding.ASCII.GetString(bundle));
        return collection.Count;
    }

    private static bool ChainsTo(X509Certificate2 leaf, byte[] bundle, DateTimeOffset at)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(Encoding.ASCII.GetString(bundle));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(leaf);
    }
}
