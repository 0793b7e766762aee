using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Authentication;

/// <summary>
/// The TokenRequest API (`POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`, what `kubectl create token` calls):
/// checks the request as the API server does and answers the TokenRequest with status.token and expirationTimestamp.
/// </summary>
public sealed class TokenRequests(ObjectStore store, ServiceAccountTokens tokens)
{
    public JsonObject Answer(string @namespace, string name, JsonObject request)
    {
        var account = store.Get("serviceaccounts", @namespace, name) ?? throw ApiException.NotFound("serviceaccounts", name);
        var spec = request["spec"] as JsonObject ?? [];
        var expiration = JsonText.WholeNumber(spec["expirationSeconds"]) ?? ServiceAccountTokens.DefaultExpirationSeconds;
        if (expiration < ServiceAccountTokens.MinimumExpirationSeconds)
        {
            throw ApiException.Invalid("TokenRequest", name, [("spec.expirationSeconds", $"Invalid value: {expiration}: may not specify a duration less than 10 minutes")]);
        }

        var pod = spec["boundObjectRef"] is JsonObject reference ? BoundPodOf(@namespace, name, reference) : null;

        var audiences = (spec["audiences"] as JsonArray ?? []).Select(audience => audience?.GetValue<string>() ?? string.Empty).Where(audience => audience.Length > 0).ToList();
        if (audiences.Count == 0)
        {
            audiences.Add(ServiceAccountTokens.ApiServerAudience);
        }

        var (token, expires) = tokens.Issue(@namespace, name, Meta.Uid(account.Value) ?? string.Empty, audiences, expiration, pod);
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(audience => (JsonNode?)audience)]),
                ["expirationSeconds"] = expiration,
                ["boundObjectRef"] = pod is null ? null : new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = pod.Name, ["uid"] = pod.Uid },
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Meta.Timestamp(expires) },
        };
    }

    /// <summary>
    /// A token bound to a pod of the ServiceAccount's namespace (the kubelet asks for these): it carries the pod and, once
    /// scheduled, its node, and dies with the pod. Secrets and nodes as bound objects are not served here.
    /// </summary>
    private BoundPod BoundPodOf(string @namespace, string account, JsonObject reference)
    {
        var kind = reference["kind"]?.GetValue<string>();
        if (kind != "Pod")
        {
            throw ApiException.Invalid("TokenRequest", account, [("spec.boundObjectRef.kind", $"Unsupported value: \"{kind}\": supported values: \"Pod\"")]);
        }

        var podName = reference["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(podName))
        {
            throw ApiException.Invalid("TokenRequest", account, [("spec.boundObjectRef.name", "Required value")]);
        }

        var pod = store.Get("pods", @namespace, podName) ?? throw ApiException.NotFound("pods", podName);
        var uid = Meta.Uid(pod.Value) ?? string.Empty;
        if (reference["uid"]?.GetValue<string>() is { Length: > 0 } wanted && wanted != uid)
        {
            throw new ApiException(409, "Conflict", $"the UID in the bound object reference ({wanted}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        var nodeName = pod.Value["spec"]?["nodeName"]?.GetValue<string>();
        var nodeUid = string.IsNullOrEmpty(nodeName) ? null : store.Get("nodes", string.Empty, nodeName) is { } node ? Meta.Uid(node.Value) : null;
        return new BoundPod(podName, uid, nodeName, nodeUid);
    }
}
