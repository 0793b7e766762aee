using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Caching.Memory;

namespace TensorFusion.Agent.Auth;

/// <summary>
/// Authenticates a bearer token with TokenReview and authorises the request with SubjectAccessReview, both asked of the
/// API server, so the cluster's RBAC decides who may scrape /metrics or look up a connection (kube-rbac-proxy's model).
/// No token or a token the API server does not accept is 401; an accepted token whose user lacks the permission is
/// 403. Verdicts are cached — allowed for 1 minute, refused for 10 seconds — so a scrape every 15 s costs one review a
/// minute per scraper.
/// </summary>
public sealed class DelegatedAuthorizer(
    Func<V1TokenReview, CancellationToken, Task<V1TokenReview>> review,
    Func<V1SubjectAccessReview, CancellationToken, Task<V1SubjectAccessReview>> accessReview,
    TimeProvider timeProvider) : IDisposable
{
    private const string BearerPrefix = "Bearer ";
    private static readonly TimeSpan AllowedTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DeniedTtl = TimeSpan.FromSeconds(10);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { Clock = new TimeProviderClock(timeProvider), SizeLimit = 4096 });

    /// <summary>Reviews through a Kubernetes client (the caller's identity needs create on tokenreviews and subjectaccessreviews).</summary>
    public static DelegatedAuthorizer Over(IKubernetes kubernetes, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        return new DelegatedAuthorizer(
            (request, ct) => kubernetes.AuthenticationV1.CreateTokenReviewAsync(request, cancellationToken: ct),
            (request, ct) => kubernetes.AuthorizationV1.CreateSubjectAccessReviewAsync(request, cancellationToken: ct),
            timeProvider);
    }

    /// <summary>Decides one request from its Authorization header ("Bearer &lt;token&gt;"; empty or null when absent).</summary>
    public async Task<AccessDecision> AuthorizeAsync(string? authorizationHeader, AccessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorizationHeader is null || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || authorizationHeader[BearerPrefix.Length..].Trim() is not { Length: > 0 } token)
        {
            return AccessDecision.Unauthenticated("missing 'Authorization: Bearer <token>' header");
        }

        var tokenKey = "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        try
        {
            var identity = await CachedAsync(tokenKey, () => AuthenticateAsync(token, cancellationToken), reviewed => reviewed.Authenticated);
            if (!identity.Authenticated)
            {
                return AccessDecision.Unauthenticated(identity.Refusal ?? "token review: not authenticated");
            }

            return await CachedAsync($"access:{identity.User}\n{string.Join(',', identity.Groups)}\n{request}",
                () => AuthorizeUserAsync(identity, request, cancellationToken), decision => decision.Allowed);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            // Never cached: the next request asks again once the API server answers.
            return AccessDecision.Unavailable($"cannot review the request with the API server: {e.Message}");
        }
    }

    public void Dispose() => _cache.Dispose();

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> decide, Func<T, bool> allowed)
        where T : class
    {
        if (_cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        var verdict = await decide();
        _cache.Set(key, verdict, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = allowed(verdict) ? AllowedTtl : DeniedTtl });
        return verdict;
    }

    private async Task<ReviewedToken> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        // No audiences: the token must be valid for the API server itself, which is what a ServiceAccount's default
        // projected token (Prometheus's, a client pod's) carries.
        var response = await review(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken);
        var status = response.Status;
        return status?.Authenticated == true && status.User?.Username is { Length: > 0 } user
            ? new ReviewedToken(user, [.. status.User.Groups ?? []], null)
            : new ReviewedToken(null, [], $"token review: not authenticated{(status?.Error is { } error ? $" ({error})" : "")}");
    }

    private async Task<AccessDecision> AuthorizeUserAsync(ReviewedToken identity, AccessRequest request, CancellationToken cancellationToken)
    {
        var user = identity.User!;
        var spec = new V1SubjectAccessReviewSpec
        {
            User = user,
            Groups = [.. identity.Groups],
            NonResourceAttributes = request.Path is null ? null : new V1NonResourceAttributes { Path = request.Path, Verb = request.Verb },
            ResourceAttributes = request.Path is not null ? null : new V1ResourceAttributes
            {
                Verb = request.Verb, Group = request.Group, Resource = request.Resource, NamespaceProperty = request.Namespace, Name = request.Name,
            },
        };
        var response = await accessReview(new V1SubjectAccessReview { Spec = spec }, cancellationToken);
        return response.Status?.Allowed == true
            ? AccessDecision.Allow(user)
            : AccessDecision.Forbidden(user, $"user '{user}' may not {request}{(response.Status?.Reason is { Length: > 0 } reason ? $" ({reason})" : "")}");
    }
}
