using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Tests.Auth;

namespace TensorFusion.Agent.Tests.Http;

/// <summary>The agent with --metrics-auth: /metrics follows the cluster's RBAC (or takes the operator's token); the plan
/// API keeps its own token.</summary>
public sealed class AgentMetricsAuthTests
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("stranger-token", HttpStatusCode.Forbidden)]
    // The operator's plan token still reads /metrics: its autoscaler scrapes agents when no Prometheus is configured.
    [InlineData(AgentHarness.Token, HttpStatusCode.OK)]
    [InlineData("scraper-token", HttpStatusCode.OK)]
    public async Task Metrics_WithMetricsAuth_FollowsRbac(string? token, HttpStatusCode expected)
    {
        using var authorizer = DelegatedAuthorizerTests.ClusterLike(new FakeTimeProvider(), out _);
        await using var harness = await AgentHarness.StartAsync(configure: options => options with { MetricsAuthorizer = authorizer });
        harness.Client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

        using var response = await harness.Client.GetAsync(new Uri("metrics", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task PlanApi_WithMetricsAuth_ScraperTokenStillRefused()
    {
        using var authorizer = DelegatedAuthorizerTests.ClusterLike(new FakeTimeProvider(), out _);
        await using var harness = await AgentHarness.StartAsync(configure: options => options with { MetricsAuthorizer = authorizer });
        harness.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scraper-token");

        using var response = await harness.Client.GetAsync(new Uri("api/v1/plan", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
