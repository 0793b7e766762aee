using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Authorization;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Patching;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Certificates;

/// <summary>
/// The two write paths of a CertificateSigningRequest after creation, with a real server's admission rules:
/// <c>/approval</c> changes only the Approved/Denied conditions and needs verb <c>approve</c> on
/// <c>certificates.k8s.io/signers</c> named by the request's signerName (or <c>domain/*</c>); <c>/status</c> sets
/// status.certificate (and other conditions) and needs verb <c>sign</c> on the same. Approved and Denied exclude each
/// other and, once set, cannot be removed; a certificate is accepted only on an approved request, only once, and only
/// as PEM CERTIFICATE blocks. RBAC on the subresource itself (update certificatesigningrequests/approval) is checked
/// before this, as for every request.
/// </summary>
public sealed class CertificateSubresources(ResourceOperations operations, RbacAuthorizer authorizer)
{
    private static readonly string[] DecisionTypes = ["Approved", "Denied"];

    public Task<StoredObject> WriteAsync(
        ResourceType type, string name, string subresource, string method, string contentType, JsonNode? body, UserInfo caller, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(caller);
        var existing = operations.Store.Get(type.StorageId, string.Empty, name) ?? throw ApiException.NotFound(ResourceOperations.Describe(type), name);
        var proposed = Proposed(existing.Value, method, contentType ?? string.Empty, body);
        var next = existing.Value.DeepClone().AsObject();
        var status = next["status"] as JsonObject ?? [];
        next["status"] = status;
        var oldConditions = Conditions(existing.Value);
        var newConditions = Conditions(proposed);
        var signer = Meta.Text(existing.Value["spec"], "signerName") ?? string.Empty;
        if (subresource == "approval")
        {
            // Only the decision conditions move through /approval; everything else stays as stored.
            var decisions = newConditions.Where(IsDecision).ToList();
            status["conditions"] = new JsonArray([.. oldConditions.Where(condition => !IsDecision(condition)).Concat(decisions).Select(condition => (JsonNode)condition.DeepClone())]);
            if (!SameDecisions(oldConditions, decisions))
            {
                DemandSigner(caller, "approve", signer, name);
            }
        }
        else
        {
            // /status keeps the stored decisions: approving is /approval's business.
            var others = newConditions.Where(condition => !IsDecision(condition));
            status["conditions"] = new JsonArray([.. oldConditions.Where(IsDecision).Concat(others).Select(condition => (JsonNode)condition.DeepClone())]);
            var certificate = Meta.Text(proposed["status"], "certificate");
            var stored = Meta.Text(existing.Value["status"], "certificate");
            if (certificate != stored)
            {
                CheckCertificate(existing.Value, stored, certificate);
                DemandSigner(caller, "sign", signer, name);
                status["certificate"] = certificate;
            }
        }

        ThrowIfInvalidConditions(next, oldConditions, Conditions(next));
        if (Meta.Text(proposed["metadata"], "resourceVersion") is { Length: > 0 } version)
        {
            Meta.Of(next)["resourceVersion"] = version;
        }

        return operations.UpdateAsync(type, string.Empty, name, next, "status", options);
    }

    private static JsonObject Proposed(JsonObject existing, string method, string contentType, JsonNode? body)
    {
        var proposed = method == "PUT"
            ? body
            : contentType.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase)
                ? JsonPatch.Apply(existing.DeepClone(), body)
                : contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase)
                    ? StrategicMergePatch.Apply(existing.DeepClone(), body)
                    : JsonMergePatch.Apply(existing.DeepClone(), body);
        return proposed as JsonObject ?? throw ApiException.BadRequest("the request body must be a CertificateSigningRequest object");
    }

    private void DemandSigner(UserInfo caller, string verb, string signer, string name)
    {
        var wildcard = signer[..(signer.IndexOf('/', StringComparison.Ordinal) + 1)] + "*";
        if (!authorizer.Allows(RequestAttributes.ForResource(caller, verb, CertificateSigningRequests.Group, "signers", name: signer))
            && !authorizer.Allows(RequestAttributes.ForResource(caller, verb, CertificateSigningRequests.Group, "signers", name: wildcard)))
        {
            throw new ApiException(403, "Forbidden",
                $"certificatesigningrequests.certificates.k8s.io \"{name}\" is forbidden: user not permitted to {verb} requests with signerName \"{signer}\"");
        }
    }

    private static void CheckCertificate(JsonObject existing, string? stored, string? certificate)
    {
        if (!string.IsNullOrEmpty(stored))
        {
            throw CertificateSigningRequests.Invalid(existing, "status.certificate", "Forbidden: updates may not modify existing certificate content");
        }

        var conditions = Conditions(existing);
        if (!conditions.Any(condition => Type(condition) == "Approved") || conditions.Any(condition => Type(condition) == "Denied"))
        {
            throw CertificateSigningRequests.Invalid(existing, "status.certificate", "Forbidden: certificate may only be set when the request is approved and not denied");
        }

        try
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(certificate ?? string.Empty));
            var issued = new X509Certificate2Collection();
            issued.ImportFromPem(pem);
            if (issued.Count == 0 || !pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw new CryptographicException("no CERTIFICATE block");
            }

            foreach (var item in issued)
            {
                item.Dispose();
            }
        }
        catch (Exception failure) when (failure is FormatException or CryptographicException)
        {
            throw CertificateSigningRequests.Invalid(existing, "status.certificate", "Invalid value: \"<certificate data>\": must contain at least one PEM-encoded CERTIFICATE block");
        }
    }

    private static void ThrowIfInvalidConditions(JsonObject value, List<JsonObject> before, List<JsonObject> after)
    {
        for (var index = 0; index < after.Count; index++)
        {
            var condition = after[index];
            if (string.IsNullOrEmpty(Type(condition)))
            {
                throw CertificateSigningRequests.Invalid(value, $"status.conditions[{index}].type", "Required value");
            }

            condition["status"] ??= "True";
            if (Meta.Text(condition, "status") is not ("True" or "False" or "Unknown"))
            {
                throw CertificateSigningRequests.Invalid(value, $"status.conditions[{index}].status", $"Unsupported value: \"{Meta.Text(condition, "status")}\": supported values: \"False\", \"True\", \"Unknown\"");
            }
        }

        if (after.Any(condition => Type(condition) == "Approved") && after.Any(condition => Type(condition) == "Denied"))
        {
            throw CertificateSigningRequests.Invalid(value, "status.conditions", "Invalid value: Approved and Denied conditions are mutually exclusive");
        }

        foreach (var decision in DecisionTypes)
        {
            if (before.Any(condition => Type(condition) == decision) && !after.Any(condition => Type(condition) == decision))
            {
                throw CertificateSigningRequests.Invalid(value, "status.conditions", $"Forbidden: updates may not remove a condition of type \"{decision}\"");
            }
        }
    }

    private static bool SameDecisions(List<JsonObject> before, List<JsonObject> after) =>
        before.Where(IsDecision).Select(Type).Order(StringComparer.Ordinal).SequenceEqual(after.Select(Type).Order(StringComparer.Ordinal));

    private static bool IsDecision(JsonObject condition) => Type(condition) is "Approved" or "Denied";

    private static string? Type(JsonObject condition) => Meta.Text(condition, "type");

    private static List<JsonObject> Conditions(JsonObject value) => [.. (value["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()];
}
