using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Certificates;

/// <summary>
/// certificates.k8s.io/v1 CertificateSigningRequests as a real API server treats them: on create the server writes
/// spec.username, uid and groups from the authenticated requester (whatever the body said, so a requester cannot pose as
/// another), the PKCS#10 request must parse and carry a valid self-signature, signerName must be a qualified name and
/// usages must be known ones; afterwards the spec is immutable (only metadata changes through the main resource).
/// </summary>
public static class CertificateSigningRequests
{
    public const string Group = "certificates.k8s.io";
    public const string StorageId = "certificatesigningrequests." + Group;
    public const long MinimumExpirationSeconds = 600;

    private static readonly HashSet<string> KnownUsages = new(StringComparer.Ordinal)
    {
        "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment",
        "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
        "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing",
        "microsoft sgc", "netscape sgc",
    };

    /// <summary>Writes who asked into the spec (the body's claims are replaced) and validates the new request.</summary>
    public static void OnCreate(JsonObject value, UserInfo requester)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(requester);
        var spec = value["spec"] as JsonObject ?? throw Invalid(value, "spec", "Required value");
        spec["username"] = requester.Name;
        spec.Remove("uid");
        if (requester.Uid.Length > 0)
        {
            spec["uid"] = requester.Uid;
        }

        spec["groups"] = new JsonArray([.. requester.Groups.Select(group => (JsonNode?)group)]);
        // The embedded server's tokens carry no extra (no pod or node binding): a forged extra is dropped, never kept.
        spec.Remove("extra");
        value.Remove("status");
        ThrowIfInvalid(value);
    }

    /// <summary>A main-resource update keeps the stored spec: 422 when the body tries to change it.</summary>
    public static void ThrowIfSpecChanged(JsonObject existing, JsonObject proposed)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(proposed);
        if (proposed["spec"] is not null && !JsonNode.DeepEquals(existing["spec"], proposed["spec"]))
        {
            throw Invalid(proposed, "spec", "Forbidden: field is immutable");
        }
    }

    /// <summary>422 naming the first field that a real server would refuse.</summary>
    public static void ThrowIfInvalid(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var spec = value["spec"] as JsonObject ?? throw Invalid(value, "spec", "Required value");
        var signer = Meta.Text(spec, "signerName");
        if (string.IsNullOrEmpty(signer))
        {
            throw Invalid(value, "spec.signerName", "Required value");
        }

        if (!IsQualifiedSigner(signer))
        {
            throw Invalid(value, "spec.signerName", $"Invalid value: \"{signer}\": must be a fully qualified domain and path of the form 'example.com/signer-name'");
        }

        var usages = spec["usages"] as JsonArray;
        if (usages is null || usages.Count == 0)
        {
            throw Invalid(value, "spec.usages", "Required value");
        }

        for (var index = 0; index < usages.Count; index++)
        {
            var usage = usages[index]?.ToString() ?? string.Empty;
            if (!KnownUsages.Contains(usage))
            {
                throw Invalid(value, $"spec.usages[{index}]", $"Unsupported value: \"{usage}\"");
            }
        }

        if (JsonText.WholeNumber(spec["expirationSeconds"]) is { } seconds && seconds < MinimumExpirationSeconds)
        {
            throw Invalid(value, "spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration less than 600 seconds (10 minutes)");
        }

        ReadRequest(value);
    }

    /// <summary>The PKCS#10 request of spec.request (base64 of PEM), its self-signature checked.</summary>
    public static CertificateRequest ReadRequest(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var encoded = Meta.Text(value["spec"], "request");
        if (string.IsNullOrEmpty(encoded))
        {
            throw Invalid(value, "spec.request", "Required value");
        }

        try
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(encoded));
            return CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception failure) when (failure is FormatException or CryptographicException or ArgumentException)
        {
            throw Invalid(value, "spec.request", $"Invalid value: []byte{{...}}: {CleanMessage(failure)}");
        }
    }

    /// <summary>signerName is DOMAIN/PATH: a DNS subdomain, a slash, and a non-empty path.</summary>
    public static bool IsQualifiedSigner(string signer)
    {
        var slash = signer.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == signer.Length - 1 || signer.Length > 571)
        {
            return false;
        }

        var domain = signer[..slash];
        return domain.Contains('.', StringComparison.Ordinal)
            && domain.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                && label[0] != '-' && label[^1] != '-');
    }

    internal static ApiException Invalid(JsonObject value, string field, string message) =>
        ApiException.Invalid("CertificateSigningRequest", Meta.Name(value) ?? string.Empty, [(field, message)]);

    private static string CleanMessage(Exception failure) => failure is FormatException ? "not base64-encoded PEM" : "not a valid PEM CERTIFICATE REQUEST with a valid signature";
}
