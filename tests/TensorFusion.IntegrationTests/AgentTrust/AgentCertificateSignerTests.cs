using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Tls;
using TensorFusion.Api.Conventions;
using TensorFusion.Host.Local;
using TensorFusion.Pipelines.AgentTrust;

namespace TensorFusion.IntegrationTests.AgentTrust;

/// <summary>
/// The agent's serving certificate through the CSR API of the embedded server, under the shipped RBAC of deploy/base:
/// the agent's ServiceAccount asks, the operator's signer decides from what the server vouches for.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentCertificateSignerTests
{
    private const string Node = "gpu-node-a";

    [Fact]
    public async Task StartAsync_AgentServiceAccountForAnExistingNode_ServesACertificateNamingTheNodeFromThePublishedCa()
    {
        await using var cluster = await TrustCluster.StartAsync(Node);
        await cluster.StartSignerAsync(TimeProvider.System);
        await using var source = new CsrServingCertificate(cluster.Agent, Node, TimeProvider.System) { WaitTimeout = TimeSpan.FromSeconds(30) };

        await source.StartAsync(CancellationToken.None);

        var certificate = source.Current;
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=system:tensor-fusion-agent:" + Node, certificate.Subject);
        Assert.Equal([Node], certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        // 24 h asked and granted (5 minutes of back-dating for clock skew): 24 h 5 min.
        Assert.Equal(TimeSpan.FromMinutes(24 * 60 + 5), certificate.NotAfter - certificate.NotBefore);
        var published = await cluster.Admin.CoreV1.ReadNamespacedConfigMapAsync(AgentServingIdentity.CaConfigMapName, LocalIdentities.Namespace);
        using var ca = X509Certificate2.CreateFromPem(published.Data[AgentServingIdentity.CaConfigMapKey]);
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        Assert.True(chain.Build(certificate), "the agent's certificate chains to the CA in ConfigMap tensorfusion-agent-ca");
        Assert.Equal(AgentCsrDecision.Sign, Assert.Single(await cluster.NextDecisionsAsync(1)).Decision);
        Assert.Equal(1, cluster.Signer!.Issued);
        var request = Assert.Single((await cluster.Admin.CertificatesV1.ListCertificateSigningRequestAsync()).Items);
        Assert.Equal(AgentServingIdentity.AgentUser(LocalIdentities.Namespace), request.Spec.Username);
        Assert.Contains(request.Status.Conditions, condition => condition.Type == "Approved");
    }

    [Fact]
    public async Task Signer_RequestFromAnotherUser_DeniedNamingTheRequester()
    {
        await using var cluster = await TrustCluster.StartAsync(Node);
        await cluster.StartSignerAsync(TimeProvider.System);

        // The admin's request claims to be the agent in its body; the server writes the real requester.
        var denied = await RequestAndAwaitDecisionAsync(cluster.Admin, Node, claimedUser: AgentServingIdentity.AgentUser(LocalIdentities.Namespace));

        var condition = Assert.Single(denied.Status.Conditions);
        Assert.Equal("Denied", condition.Type);
        Assert.Contains("requester \"admin\" is not the agent ServiceAccount", condition.Message, StringComparison.Ordinal);
        Assert.Null(denied.Status.Certificate);
        Assert.Equal(AgentCsrDecision.Deny, Assert.Single(await cluster.NextDecisionsAsync(1)).Decision);
        Assert.Equal(1, cluster.Signer!.Denied);
    }

    [Fact]
    public async Task StartAsync_CertificateForANodeThatDoesNotExist_FailsWithTheDenialReason()
    {
        await using var cluster = await TrustCluster.StartAsync(Node);
        await cluster.StartSignerAsync(TimeProvider.System);
        await using var source = new CsrServingCertificate(cluster.Agent, "gpu-node-x", TimeProvider.System) { WaitTimeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => source.StartAsync(CancellationToken.None));

        Assert.Contains("was denied", error.Message, StringComparison.Ordinal);
        Assert.Contains("node \"gpu-node-x\" does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewal_TwoThirdsIntoTheLifetime_ReplacesTheCertificateBeforeItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await TrustCluster.StartAsync(Node);
        await cluster.StartSignerAsync(time, lifetime: TimeSpan.FromHours(3));
        await using var source = new CsrServingCertificate(cluster.Agent, Node, time) { WaitTimeout = TimeSpan.FromSeconds(30) };
        await source.StartAsync(CancellationToken.None);
        var first = source.Current;
        var renewed = new TaskCompletionSource<X509Certificate2>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Renewed += (_, certificate) => renewed.TrySetResult(certificate);

        // Valid 3 h 5 min from 5 minutes back: renewal is due 2 h 3 min 20 s after NotBefore, 1 h 58 min 20 s from now.
        var due = CsrServingCertificate.RenewalTime(first);
        Assert.InRange((due - time.GetUtcNow()).TotalSeconds, 7099, 7101);
        time.Advance(TimeSpan.FromSeconds(7090));
        Assert.False(renewed.Task.IsCompleted, "renewed before it was due");
        time.Advance(TimeSpan.FromSeconds(11));
        var second = await renewed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(second, source.Current);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.False(first.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(second.PublicKey.EncodedKeyValue.RawData), "a renewal makes a new key");
        Assert.True(second.NotAfter > first.NotAfter);
        Assert.True(time.GetUtcNow() < new DateTimeOffset(first.NotAfter.ToUniversalTime()), "renewed while the first was still valid");
        Assert.Equal(2, (await cluster.NextDecisionsAsync(2)).Count(verdict => verdict.Decision == AgentCsrDecision.Sign));
        Assert.Equal(2, cluster.Signer!.Issued);
    }

    [Fact]
    public async Task Agent_AfterRenewal_PresentsTheRenewedCertificateWithoutRestart()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await TrustCluster.StartAsync(Node);
        await cluster.StartSignerAsync(time, lifetime: TimeSpan.FromHours(3));
        var source = new CsrServingCertificate(cluster.Agent, Node, time) { WaitTimeout = TimeSpan.FromSeconds(30) };
        var state = Directory.CreateTempSubdirectory("tf-trust-agent-").FullName;
        await using var agent = await TensorFusion.Agent.NodeAgent.StartAsync(new TensorFusion.Agent.AgentOptions
        {
            NodeName = Node,
            StateDirectory = state,
            TokenChecker = new TensorFusion.Agent.Auth.SharedSecretTokenChecker("rotation-test-token-0123"),
            ServingCertificate = source,
            Simulator = new TensorFusion.Gpu.Devices.SimulatorOptions("L4", 1, "GPU-rotation-"),
            TimeProvider = time,
        }, CancellationToken.None);
        var renewed = new TaskCompletionSource<X509Certificate2>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Renewed += (_, certificate) => renewed.TrySetResult(certificate);
        var before = await PresentedSerialAsync(agent.BaseAddress, cluster.Authority!.TrustAnchor, time);

        time.Advance(TimeSpan.FromSeconds(7101));
        var second = await renewed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await PresentedSerialAsync(agent.BaseAddress, cluster.Authority!.TrustAnchor, time);

        Assert.NotEqual(before, after);
        Assert.Equal(second.SerialNumber, after);
        Directory.Delete(state, recursive: true);
    }

    /// <summary>
    /// The serial of the certificate a fresh TLS handshake with <paramref name="address"/> shows, verified against the
    /// agent CA at the test's clock (a renewed certificate starts in the fake future, not yet valid on the real one).
    /// </summary>
    private static async Task<string> PresentedSerialAsync(Uri address, X509Certificate2 authority, TimeProvider time)
    {
        string? serial = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.VerificationTimeIgnored = false;
                    chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
                    serial = presented.SerialNumber;
                    return chain.Build(presented);
                },
            },
        };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(address, "healthz"));
        Assert.True(response.IsSuccessStatusCode, $"healthz: {(int)response.StatusCode}");
        return serial ?? throw new InvalidOperationException("no certificate was presented");
    }

    private static async Task<V1CertificateSigningRequest> RequestAndAwaitDecisionAsync(Kubernetes client, string node, string claimedUser)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + AgentServingIdentity.CommonName(node), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build());
        var created = await client.CertificatesV1.CreateCertificateSigningRequestAsync(new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = "forged" },
            Spec = new V1CertificateSigningRequestSpec
            {
                Request = Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()),
                SignerName = AgentServingIdentity.SignerName,
                Usages = ["digital signature", "server auth"],
                Username = claimedUser,
            },
        });
        await foreach (var (_, item) in client.CertificatesV1.WatchListCertificateSigningRequestAsync(
            fieldSelector: "metadata.name=forged", resourceVersion: created.Metadata.ResourceVersion, timeoutSeconds: 30))
        {
            if (item.Status?.Conditions?.Count > 0)
            {
                return item;
            }
        }

        throw new TimeoutException("the signer did not decide CertificateSigningRequest forged within 30 s");
    }
}
