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

        if (spec["boundObjectRef"] is JsonObject)
        {
            throw ApiException.Invalid("TokenRequest", name, [("spec.boundObjectRef", "Unsupported value: the embedded API server issues tokens bound to the ServiceAccount only")]);
        }

        var audiences = (spec["audiences"] as JsonArray ?? []).Select(audience => audience?.GetValue<string>() ?? string.Empty).Where(audience => audience.Length > 0).ToList();
        if (audiences.Count == 0)
        {
            audiences.Add(ServiceAccountTokens.ApiServerAudience);
        }

        var (token, expires) = tokens.Issue(@namespace, name, Meta.Uid(account.Value) ?? string.Empty, audiences, expiration);
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(audience => (JsonNode?)audience)]),
                ["expirationSeconds"] = expiration,
                ["boundObjectRef"] = null,
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Meta.Timestamp(expires) },
        };
    }
}
