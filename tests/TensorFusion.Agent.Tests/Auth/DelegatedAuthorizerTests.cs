using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Auth;

namespace TensorFusion.Agent.Tests.Auth;

public sealed class DelegatedAuthorizerTests
{
    private const string Scraper = "system:serviceaccount:monitoring:prometheus-k8s";

    [Theory]
    [InlineData(null, 401)]
    [InlineData("Basic abc", 401)]
    [InlineData("Bearer ", 401)]
    [InlineData("Bearer unknown-token", 401)]
    [InlineData("Bearer stranger-token", 403)]
    [InlineData("Bearer scraper-token", 200)]
    public async Task AuthorizeAsync_Tokens_401UnknownOr403WithoutPermissionOr200(string? header, int expected)
    {
        using var authorizer = ClusterLike(new FakeTimeProvider(), out _);

        var decision = await authorizer.AuthorizeAsync(header, AccessRequest.ForPath("/metrics"), CancellationToken.None);

        Assert.Equal(expected, decision.StatusCode);
        // Refusals never echo the token.
        Assert.DoesNotContain("-token", decision.Reason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_ResourceRequest_SendsTheObjectAndTheUsersGroups()
    {
        V1SubjectAccessReviewSpec? sent = null;
        using var authorizer = new DelegatedAuthorizer(
            (review, _) => Task.FromResult(Reviewed(review, "client-token", "system:serviceaccount:ml:client")),
            (review, _) =>
            {
                sent = review.Spec;
                return Task.FromResult(new V1SubjectAccessReview { Spec = review.Spec, Status = new V1SubjectAccessReviewStatus { Allowed = false } });
            },
            new FakeTimeProvider());

        var decision = await authorizer.AuthorizeAsync("Bearer client-token", AccessRequest.ForObject("get", "tensor-fusion.ai", "tensorfusionconnections", "ml", "client-a"), CancellationToken.None);

        Assert.Equal(403, decision.StatusCode);
        Assert.Equal("user 'system:serviceaccount:ml:client' may not get tensorfusionconnections.tensor-fusion.ai ml/client-a", decision.Reason);
        Assert.Equal(("get", "tensor-fusion.ai", "tensorfusionconnections", "ml", "client-a"),
            (sent!.ResourceAttributes.Verb, sent.ResourceAttributes.Group, sent.ResourceAttributes.Resource, sent.ResourceAttributes.NamespaceProperty, sent.ResourceAttributes.Name));
        Assert.Null(sent.NonResourceAttributes);
        Assert.Equal(["system:serviceaccounts", "system:authenticated"], sent.Groups);
    }

    [Fact]
    public async Task AuthorizeAsync_ScrapeEvery15s_ReviewedOncePerMinute()
    {
        var time = new FakeTimeProvider();
        using var authorizer = ClusterLike(time, out var reviews);

        // Scrapes at 0, 15, 30, 45 s share the first verdicts (1-minute TTL); the one at 61 s asks again: 2 + 2 reviews.
        foreach (var seconds in new[] { 0, 15, 15, 15, 16 })
        {
            time.Advance(TimeSpan.FromSeconds(seconds));
            Assert.True((await authorizer.AuthorizeAsync("Bearer scraper-token", AccessRequest.ForPath("/metrics"), CancellationToken.None)).Allowed);
        }

        Assert.Equal(4, reviews.Count);
    }

    [Fact]
    public async Task AuthorizeAsync_ApiServerUnreachable_503AndAskedAgainNextTime()
    {
        var calls = 0;
        using var authorizer = new DelegatedAuthorizer(
            (_, _) => ++calls == 1 ? throw new HttpRequestException("connection refused") : Task.FromResult(Reviewed(new V1TokenReview { Spec = new() { Token = "t" } }, "t", Scraper)),
            (review, _) => Task.FromResult(new V1SubjectAccessReview { Spec = review.Spec, Status = new V1SubjectAccessReviewStatus { Allowed = true } }),
            new FakeTimeProvider());

        var first = await authorizer.AuthorizeAsync("Bearer t", AccessRequest.ForPath("/metrics"), CancellationToken.None);
        var second = await authorizer.AuthorizeAsync("Bearer t", AccessRequest.ForPath("/metrics"), CancellationToken.None);

        Assert.Equal(503, first.StatusCode);
        Assert.Contains("connection refused", first.Reason, StringComparison.Ordinal);
        Assert.Equal(200, second.StatusCode);
    }

    /// <summary>
    /// Answers like an API server where "scraper-token" belongs to Prometheus (allowed get /metrics), "stranger-token"
    /// to a user with no such right, and any other token to nobody. <paramref name="reviews"/> lists each review asked.
    /// </summary>
    internal static DelegatedAuthorizer ClusterLike(TimeProvider time, out List<string> reviews)
    {
        var asked = new List<string>();
        reviews = asked;
        return new DelegatedAuthorizer(
            (review, _) =>
            {
                asked.Add("token");
                var user = review.Spec.Token switch { "scraper-token" => Scraper, "stranger-token" => "system:serviceaccount:default:stranger", _ => null };
                return Task.FromResult(Reviewed(review, review.Spec.Token, user));
            },
            (review, _) =>
            {
                asked.Add("access");
                var allowed = review.Spec.User == Scraper && review.Spec.NonResourceAttributes is { Path: "/metrics", Verb: "get" };
                return Task.FromResult(new V1SubjectAccessReview { Spec = review.Spec, Status = new V1SubjectAccessReviewStatus { Allowed = allowed } });
            },
            time);
    }

    private static V1TokenReview Reviewed(V1TokenReview review, string token, string? user) => new()
    {
        Spec = review.Spec,
        Status = user is null || review.Spec.Token != token
            ? new V1TokenReviewStatus { Authenticated = false, Error = "invalid bearer token" }
            : new V1TokenReviewStatus { Authenticated = true, User = new V1UserInfo { Username = user, Groups = ["system:serviceaccounts", "system:authenticated"] } },
    };
}
