using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Certificates;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>
/// The CA that signs the agents' serving certificates. Its key and certificate live in the Secret
/// <see cref="AgentServingIdentity.CaSecretName"/> of the operator's namespace (created by the first operator that finds
/// none, so every replica signs with the same CA); its certificate is also published in the ConfigMap
/// <see cref="AgentServingIdentity.CaConfigMapName"/>, which Prometheus or a person can read to verify an agent. Only
/// public keys ever reach this CA from the agents: their private keys stay on their nodes.
/// </summary>
public sealed class AgentCertificateAuthority : IDisposable
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    private readonly X509Certificate2 _ca;

    private AgentCertificateAuthority(X509Certificate2 ca)
    {
        _ca = ca;
        TrustAnchor = X509CertificateLoader.LoadCertificate(ca.RawData);
    }

    /// <summary>The CA certificate alone (no key): what a client trusts to verify an agent.</summary>
    public X509Certificate2 TrustAnchor { get; }

    public string CertificatePem => _ca.ExportCertificatePem();

    /// <summary>Reads the CA from its Secret, creating both Secret and ConfigMap when missing (a racing replica's CA wins).</summary>
    public static async Task<AgentCertificateAuthority> LoadOrCreateAsync(KubeRestClient client, string @namespace, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var secretPath = $"api/v1/namespaces/{@namespace}/secrets/{AgentServingIdentity.CaSecretName}";
        var secret = await client.TryGetAsync<V1Secret>(secretPath, cancellationToken);
        if (secret is null)
        {
            using var fresh = Create(time.GetUtcNow());
            var created = new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = AgentServingIdentity.CaSecretName, NamespaceProperty = @namespace },
                Type = "kubernetes.io/tls",
                Data = new Dictionary<string, byte[]>
                {
                    ["tls.crt"] = Encoding.ASCII.GetBytes(fresh.ExportCertificatePem()),
                    ["tls.key"] = Encoding.ASCII.GetBytes(fresh.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
                },
            };
            try
            {
                secret = await client.CreateAsync($"api/v1/namespaces/{@namespace}/secrets", created, cancellationToken);
            }
            catch (ApiStatusException conflict) when (conflict.IsConflict)
            {
                secret = await client.GetAsync<V1Secret>(secretPath, cancellationToken);
            }
        }

        var authority = new AgentCertificateAuthority(Read(secret));
        await authority.PublishAsync(client, @namespace, cancellationToken);
        return authority;
    }

    /// <summary>A CA held in memory only (tests; a signer without a cluster).</summary>
    public static AgentCertificateAuthority InMemory(DateTimeOffset now) => new(Create(now));

    /// <summary>
    /// The serving certificate for <paramref name="node"/> over the requester's public key: subject
    /// <c>CN=system:tensor-fusion-agent:NODE</c>, the node as its only DNS name, server auth only. Nothing else the
    /// request asked for is copied, so a request cannot widen what it gets.
    /// </summary>
    public string Issue(PublicKey publicKey, string node, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + AgentServingIdentity.CommonName(node)), publicKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = now + lifetime;
        if (notAfter > _ca.NotAfter.ToUniversalTime())
        {
            notAfter = _ca.NotAfter.ToUniversalTime();
        }

        // Five minutes back so a node whose clock is a little behind accepts it at once.
        using var issued = request.Create(_ca, now.AddMinutes(-5), notAfter, CertificateAuthorities.PositiveSerial());
        return issued.ExportCertificatePem();
    }

    public void Dispose()
    {
        _ca.Dispose();
        TrustAnchor.Dispose();
    }

    private async Task PublishAsync(KubeRestClient client, string @namespace, CancellationToken cancellationToken)
    {
        var path = $"api/v1/namespaces/{@namespace}/configmaps/{AgentServingIdentity.CaConfigMapName}";
        var existing = await client.TryGetAsync<V1ConfigMap>(path, cancellationToken);
        var pem = CertificatePem;
        if (existing?.Data?.TryGetValue(AgentServingIdentity.CaConfigMapKey, out var published) == true && published == pem)
        {
            return;
        }

        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = AgentServingIdentity.CaConfigMapName, NamespaceProperty = @namespace, ResourceVersion = existing?.Metadata?.ResourceVersion },
            Data = new Dictionary<string, string> { [AgentServingIdentity.CaConfigMapKey] = pem },
        };
        if (existing is null)
        {
            await client.CreateAsync($"api/v1/namespaces/{@namespace}/configmaps", configMap, cancellationToken);
        }
        else
        {
            await client.ReplaceAsync(path, configMap, cancellationToken);
        }
    }

    private static X509Certificate2 Read(V1Secret secret)
    {
        if (secret.Data is null || !secret.Data.TryGetValue("tls.crt", out var certificate) || !secret.Data.TryGetValue("tls.key", out var key))
        {
            throw new InvalidOperationException(
                $"Secret {secret.Metadata?.NamespaceProperty}/{secret.Metadata?.Name} has no tls.crt and tls.key: delete it and the operator creates a new agent CA (agents then re-request certificates)");
        }

        using var loaded = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certificate), Encoding.ASCII.GetString(key));
        // Re-import so the private key is usable for signing on every platform.
        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 Create(DateTimeOffset now) => CertificateAuthorities.CreateSelfSigned("tensor-fusion-agent-ca", now, CaLifetime);
}
