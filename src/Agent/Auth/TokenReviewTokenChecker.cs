using k8s.Models;
using Microsoft.Extensions.Caching.Memory;

namespace TensorFusion.Agent.Auth;

/// <summary>
/// In a cluster: the token must be a ServiceAccount token that the API server authenticates (TokenReview) for this
/// agent's audience, belonging to one of the allowed users (the operator's ServiceAccount). Verdicts are cached —
/// allowed for 1 minute, denied for 10 seconds — so a push storm costs one review per token (same TTLs as
/// controller-runtime's authenticated metrics filter).
/// </summary>
public sealed class TokenReviewTokenChecker(
    Func<V1TokenReview, CancellationToken, Task<V1TokenReview>> review,
    string audience,
    IReadOnlySet<string> allowedUsers,
    TimeProvider timeProvider) : IBearerTokenChecker, IDisposable
{
    private static readonly TimeSpan AllowedTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DeniedTtl = TimeSpan.FromSeconds(10);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { Clock = new TimeProviderClock(timeProvider), SizeLimit = 1024 });

    public async Task<TokenCheckResult> CheckAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheckResult.Deny("empty token");
        }

        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        if (_cache.TryGetValue(key, out TokenCheckResult? cached) && cached is not null)
        {
            return cached;
        }

        var request = new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [audience] } };
        var response = await review(request, cancellationToken);
        var verdict = Judge(response.Status);
        _cache.Set(key, verdict, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = verdict.Allowed ? AllowedTtl : DeniedTtl });
        return verdict;
    }

    public void Dispose() => _cache.Dispose();

    private TokenCheckResult Judge(V1TokenReviewStatus? status)
    {
        if (status?.Authenticated != true)
        {
            return TokenCheckResult.Deny($"token review: not authenticated{(status?.Error is { } e ? $" ({e})" : "")}");
        }

        // An empty audience list means the reviewer did not check audiences at all (an authenticator that ignores
        // spec.audiences, or a token for the API server itself): accepting it would let any token the cluster
        // trusts for something else call this agent.
        if (status.Audiences is not { Count: > 0 } audiences)
        {
            return TokenCheckResult.Deny($"token review: the verdict names no audience (expected '{audience}')");
        }

        if (!audiences.Contains(audience))
        {
            return TokenCheckResult.Deny($"token review: token is not for audience '{audience}'");
        }

        var user = status.User?.Username ?? "";
        return allowedUsers.Contains(user)
            ? TokenCheckResult.Allow(user)
            : TokenCheckResult.Deny($"token review: user '{user}' may not call this agent");
    }
}
