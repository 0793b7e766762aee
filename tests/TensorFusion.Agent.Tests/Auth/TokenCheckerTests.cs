using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Auth;

namespace TensorFusion.Agent.Tests.Auth;

public sealed class TokenCheckerTests
{
    private const string Operator = "system:serviceaccount:tensor-fusion-sys:tensor-fusion-operator";

    [Fact]
    public async Task SharedSecret_MatchingAndOtherToken_AllowedAndDenied()
    {
        var checker = new SharedSecretTokenChecker("a-long-enough-secret");

        Assert.True((await checker.CheckAsync("a-long-enough-secret", CancellationToken.None)).Allowed);
        Assert.False((await checker.CheckAsync("a-long-enough-secreT", CancellationToken.None)).Allowed);
        Assert.False((await checker.CheckAsync("", CancellationToken.None)).Allowed);
    }

    [Fact]
    public void SharedSecret_TooShort_ThrowsNamingTheFlag()
    {
        var error = Assert.Throws<ArgumentException>(() => new SharedSecretTokenChecker("short"));

        Assert.Contains("--token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, Operator, "tensorfusion-agent", true)]
    [InlineData(true, "system:serviceaccount:default:intruder", "tensorfusion-agent", false)]
    [InlineData(false, Operator, "tensorfusion-agent", false)]
    [InlineData(true, Operator, "https://kubernetes.default.svc", false)]
    public async Task TokenReview_Verdicts_FollowAuthenticationUserAndAudience(bool authenticated, string user, string tokenAudience, bool expected)
    {
        using var checker = Checker((_, _) => Review(authenticated, user, tokenAudience), new FakeTimeProvider());

        var verdict = await checker.CheckAsync("sa-token", CancellationToken.None);

        Assert.Equal(expected, verdict.Allowed);
        Assert.DoesNotContain("sa-token", verdict.Reason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenReview_VerdictWithEmptyAudiences_Denied()
    {
        // An authenticated operator token whose verdict names no audience: the reviewer did not check ours, so refuse.
        using var checker = Checker((_, _) => Task.FromResult(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec(),
            Status = new V1TokenReviewStatus { Authenticated = true, User = new V1UserInfo { Username = Operator }, Audiences = [] },
        }), new FakeTimeProvider());

        var verdict = await checker.CheckAsync("sa-token", CancellationToken.None);

        Assert.False(verdict.Allowed);
        Assert.Contains("names no audience", verdict.Reason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenReview_RepeatedToken_ReviewedOncePerMinute()
    {
        var time = new FakeTimeProvider();
        var reviews = 0;
        var sentAudience = "";
        using var checker = Checker((request, _) =>
        {
            reviews++;
            sentAudience = request.Spec.Audiences.Single();
            return Review(true, Operator, "tensorfusion-agent");
        }, time);

        await checker.CheckAsync("t", CancellationToken.None);
        await checker.CheckAsync("t", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(61));
        await checker.CheckAsync("t", CancellationToken.None);

        Assert.Equal(2, reviews);
        Assert.Equal("tensorfusion-agent", sentAudience);
    }

    private static TokenReviewTokenChecker Checker(Func<V1TokenReview, CancellationToken, Task<V1TokenReview>> review, TimeProvider time) =>
        new(review, "tensorfusion-agent", new HashSet<string> { Operator }, time);

    private static Task<V1TokenReview> Review(bool authenticated, string user, string audience) =>
        Task.FromResult(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec(),
            Status = new V1TokenReviewStatus { Authenticated = authenticated, User = new V1UserInfo { Username = user }, Audiences = [audience] },
        });
}
