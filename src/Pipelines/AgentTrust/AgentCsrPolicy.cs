using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>
/// Who gets an agent serving certificate, decided from what the API server vouches for: spec.username (written by the
/// server from the requester's credentials) must be an agent ServiceAccount; the request must name one node, as
/// <c>CN=system:tensor-fusion-agent:NODE</c> and as its only DNS name (no IP or other names); only server-auth usages;
/// and when the requester's token is bound to a node (user.extra <c>authentication.kubernetes.io/node-name</c>) it must
/// be that node. Whether the node exists is checked by the signer against the API server.
/// </summary>
public static class AgentCsrPolicy
{
    private static readonly HashSet<string> AllowedUsages = new(StringComparer.Ordinal) { "digital signature", "key encipherment", "server auth" };

    public static AgentCsrVerdict Review(V1CertificateSigningRequest csr, IReadOnlySet<string> agentUsers)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(agentUsers);
        var spec = csr.Spec;
        if (spec?.SignerName != AgentServingIdentity.SignerName)
        {
            return AgentCsrVerdict.Skip("another signer's request");
        }

        var conditions = csr.Status?.Conditions ?? [];
        if (conditions.Any(condition => condition.Type is "Denied" or "Failed") || csr.Status?.Certificate is { Length: > 0 })
        {
            return AgentCsrVerdict.Skip("already decided");
        }

        if (!agentUsers.Contains(spec.Username ?? string.Empty))
        {
            return AgentCsrVerdict.Deny(null, $"requester \"{spec.Username}\" is not the agent ServiceAccount ({string.Join(", ", agentUsers.Order(StringComparer.Ordinal))})");
        }

        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(
                Encoding.ASCII.GetString(spec.Request ?? []), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException error)
        {
            return AgentCsrVerdict.Deny(null, $"spec.request is not a valid PKCS#10 request: {error.Message}");
        }

        var commonName = CommonName(request.SubjectName);
        if (AgentServingIdentity.NodeOf(commonName) is not { } node)
        {
            return AgentCsrVerdict.Deny(null, $"subject CN \"{commonName}\" does not start with \"{AgentServingIdentity.CommonNamePrefix}\"");
        }

        var names = request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().ToList();
        var dnsNames = names.SelectMany(extension => extension.EnumerateDnsNames()).ToList();
        var addresses = names.SelectMany(extension => extension.EnumerateIPAddresses()).ToList();
        if (dnsNames.Count != 1 || dnsNames[0] != node || addresses.Count > 0)
        {
            return AgentCsrVerdict.Deny(node, $"the request must name node \"{node}\" as its only DNS name and no IP address (asked for DNS [{string.Join(", ", dnsNames)}], IP [{string.Join(", ", addresses)}])");
        }

        var usages = spec.Usages ?? [];
        if (!usages.Contains("server auth") || usages.Any(usage => !AllowedUsages.Contains(usage)))
        {
            return AgentCsrVerdict.Deny(node, $"usages [{string.Join(", ", usages)}] must include \"server auth\" and only {string.Join(", ", AllowedUsages.Select(usage => $"\"{usage}\""))}");
        }

        if (spec.Extra?.TryGetValue(AgentServingIdentity.NodeNameExtra, out var bound) == true && bound is { Count: > 0 } && !bound.Contains(node))
        {
            return AgentCsrVerdict.Deny(node, $"the requester's token is bound to node \"{string.Join(", ", bound)}\", not \"{node}\"");
        }

        return new AgentCsrVerdict(AgentCsrDecision.Sign, node, "agent serving certificate", request.PublicKey);
    }

    /// <summary>The subject's one common name (null when it has none or several).</summary>
    public static string? CommonName(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var names = subject.EnumerateRelativeDistinguishedNames()
            .Where(part => !part.HasMultipleElements && part.GetSingleElementType().Value == "2.5.4.3")
            .Select(part => part.GetSingleElementValue())
            .ToList();
        return names.Count == 1 ? names[0] : null;
    }
}
