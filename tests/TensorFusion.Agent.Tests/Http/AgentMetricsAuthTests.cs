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
        using var node = AgentTestNode.Create();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        using var authorizer = DelegatedAuthorizerTests.ClusterLike(time, out _);
        await using var agent = await NodeAgent.StartAsync(AgentHarness.Options(node, time) with { MetricsAuthorizer = authorizer }, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = agent.BaseAddress };

        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task PlanApi_WithMetricsAuth_ScraperTokenStillRefused()
    {
        using var node = AgentTestNode.Create();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        using var authorizer = DelegatedAuthorizerTests.ClusterLike(time, out _);
        await using var agent = await NodeAgent.StartAsync(AgentHarness.Options(node, time) with { MetricsAuthorizer = authorizer }, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = agent.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scraper-token");

        using var response = await client.GetAsync(new Uri("api/v1/plan", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
