using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace TensorFusion.LocalCluster.Authentication;

/// <summary>
/// The authenticator chain: the server's own bearer token (the kubeconfig user, cluster-admin through system:masters),
/// then ServiceAccount tokens for the API server's audience. Anything else is anonymous and gets 401.
/// </summary>
public sealed class RequestAuthenticator(string adminToken, ServiceAccountTokens serviceAccountTokens)
{
    private static readonly string[] ApiServerAudiences = [ServiceAccountTokens.ApiServerAudience];
    private readonly string _expectedAuthorization = "Bearer " + adminToken;

    /// <summary>The user the request acts as, or null when it carries no credential this server accepts.</summary>
    public UserInfo? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (SameText(header, _expectedAuthorization))
        {
            return UserInfo.Admin;
        }

        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? serviceAccountTokens.Check(header["Bearer ".Length..].Trim(), ApiServerAudiences).User
            : null;
    }

    /// <summary>TokenReview: checks any token for the given audiences (the API server's own when none are named).</summary>
    public TokenVerdict Review(string token, IReadOnlyList<string> audiences)
    {
        var wanted = audiences.Count > 0 ? audiences : ApiServerAudiences;
        if (SameText(token, adminToken))
        {
            // The admin token is not audience-bound, as a static token file entry in Kubernetes.
            return new TokenVerdict(UserInfo.Admin, wanted, null);
        }

        return serviceAccountTokens.Check(token, wanted);
    }

    // Compared as UTF-16 bytes in place: no copy per request, and still constant-time.
    private static bool SameText(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presented.AsSpan()), MemoryMarshal.AsBytes(expected.AsSpan()));
}
