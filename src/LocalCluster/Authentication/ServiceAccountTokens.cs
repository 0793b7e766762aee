using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Authentication;

/// <summary>
/// Issues and checks ServiceAccount tokens as the TokenRequest API does: ES256-signed JWTs bound to the ServiceAccount's
/// uid, with audiences and an expiry. The signing key lives only in this process, so tokens die with the server (a
/// real cluster keeps its key across restarts; local mode issues fresh tokens at every start).
/// </summary>
public sealed class ServiceAccountTokens(ObjectStore store, TimeProvider time) : IDisposable
{
    /// <summary>The audience the API server itself accepts, as a kubeadm cluster names it.</summary>
    public const string ApiServerAudience = "https://kubernetes.default.svc.cluster.local";

    /// <summary>TokenRequest's default and minimum lifetimes (1 hour, 10 minutes), as in Kubernetes.</summary>
    public const long DefaultExpirationSeconds = 3600;
    public const long MinimumExpirationSeconds = 600;

    private const string Issuer = ApiServerAudience;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _keyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    /// <summary>
    /// Signs a token for the ServiceAccount (and, when <paramref name="pod"/> is given, bound to that pod and its node);
    /// the caller has checked that they exist with these uids.
    /// </summary>
    public (string Token, DateTimeOffset Expires) Issue(string @namespace, string name, string uid, IReadOnlyList<string> audiences, long expirationSeconds, BoundPod? pod = null)
    {
        var now = time.GetUtcNow();
        var expires = now.AddSeconds(expirationSeconds);
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = _keyId };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = UserInfo.ServiceAccountPrefix + @namespace + ":" + name,
            ["aud"] = new JsonArray([.. audiences.Select(audience => (JsonNode?)audience)]),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = @namespace,
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
            },
        };
        if (pod is not null)
        {
            var bound = (JsonObject)claims["kubernetes.io"]!;
            bound["pod"] = new JsonObject { ["name"] = pod.Name, ["uid"] = pod.Uid };
            if (pod.NodeName is { Length: > 0 })
            {
                bound["node"] = new JsonObject { ["name"] = pod.NodeName, ["uid"] = pod.NodeUid ?? string.Empty };
            }
        }

        var signingInput = Base64Url(header.ToJsonString()) + "." + Base64Url(claims.ToJsonString());
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (signingInput + "." + Base64UrlEncode(signature), expires);
    }

    /// <summary>
    /// Checks signature, time window, audience (one of <paramref name="acceptedAudiences"/>) and that the ServiceAccount
    /// still exists with the uid the token was bound to, so deleting a ServiceAccount revokes its tokens.
    /// </summary>
    public TokenVerdict Check(string token, IReadOnlyList<string> acceptedAudiences)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return TokenVerdict.Refused("invalid bearer token");
        }

        JsonObject claims;
        try
        {
            var signature = Base64UrlDecode(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return TokenVerdict.Refused("invalid bearer token, token could not be verified");
            }

            claims = JsonNode.Parse(Base64UrlDecode(parts[1]))!.AsObject();
        }
        catch (Exception failure) when (failure is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return TokenVerdict.Refused("invalid bearer token");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"]?.GetValue<long>() is not { } expires || now >= expires)
        {
            return TokenVerdict.Refused("invalid bearer token, service account token has expired");
        }

        if (claims["nbf"]?.GetValue<long>() is { } notBefore && now < notBefore)
        {
            return TokenVerdict.Refused("invalid bearer token, service account token is not valid yet");
        }

        var tokenAudiences = (claims["aud"] as JsonArray ?? []).Select(audience => audience?.GetValue<string>() ?? string.Empty).ToList();
        var accepted = tokenAudiences.Intersect(acceptedAudiences, StringComparer.Ordinal).ToList();
        if (accepted.Count == 0)
        {
            return TokenVerdict.Refused("invalid bearer token, token audiences don't match the expected audience");
        }

        var bound = claims["kubernetes.io"];
        var @namespace = bound?["namespace"]?.GetValue<string>() ?? string.Empty;
        var name = bound?["serviceaccount"]?["name"]?.GetValue<string>() ?? string.Empty;
        var uid = bound?["serviceaccount"]?["uid"]?.GetValue<string>() ?? string.Empty;
        var account = store.Get("serviceaccounts", @namespace, name);
        if (account is null || account.Value["metadata"]?["deletionTimestamp"] is not null)
        {
            return TokenVerdict.Refused($"invalid bearer token, service account {@namespace}/{name} has been deleted");
        }

        if (account.Value["metadata"]?["uid"]?.GetValue<string>() != uid)
        {
            return TokenVerdict.Refused($"invalid bearer token, service account UID ({uid}) does not match claim ({account.Value["metadata"]?["uid"]})");
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (claims["jti"]?.GetValue<string>() is { Length: > 0 } jti)
        {
            extra["authentication.kubernetes.io/credential-id"] = ["JTI=" + jti];
        }

        if (bound?["pod"] is JsonObject pod)
        {
            // A pod-bound token dies with its pod (deleted, or replaced under the same name), as on a real server.
            var podName = pod["name"]?.GetValue<string>() ?? string.Empty;
            var podUid = pod["uid"]?.GetValue<string>() ?? string.Empty;
            var current = store.Get("pods", @namespace, podName);
            if (current is null || current.Value["metadata"]?["uid"]?.GetValue<string>() != podUid)
            {
                return TokenVerdict.Refused($"invalid bearer token, pod {@namespace}/{podName} (uid {podUid}) the token is bound to no longer exists");
            }

            extra["authentication.kubernetes.io/pod-name"] = [podName];
            extra["authentication.kubernetes.io/pod-uid"] = [podUid];
            if (bound["node"] is JsonObject node)
            {
                extra["authentication.kubernetes.io/node-name"] = [node["name"]?.GetValue<string>() ?? string.Empty];
                extra["authentication.kubernetes.io/node-uid"] = [node["uid"]?.GetValue<string>() ?? string.Empty];
            }
        }

        return new TokenVerdict(UserInfo.ForServiceAccount(@namespace, name, uid) with { Extra = extra }, accepted, null);
    }

    public void Dispose() => _key.Dispose();

    private static string Base64Url(string text) => Base64UrlEncode(Encoding.UTF8.GetBytes(text));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
