using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using TensorFusion.Agent.Auth;
using TensorFusion.IntegrationTests.Engine;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// The operator's and an agent's HTTP endpoints against the embedded API server's real TokenReview and
/// SubjectAccessReview: /metrics with --metrics-auth and GET /api/connection answer 401 without a token, 403 for a user
/// RBAC does not allow, and serve a user it does.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OperatorEndpointAuthTests
{
    private const string Namespace = OperatorCluster.Namespace;

    [Fact]
    public async Task Metrics_WithMetricsAuth_401WithoutToken403WithoutPermission200WithIt()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var (scraper, stranger) = await ScraperAndStrangerAsync(cluster);

        await using var host = await RunningOperatorHost.StartAsync(cluster, metricsAuth: true);
        var anonymous = await host.GetAsync("metrics", token: null);
        var forbidden = await host.GetAsync("metrics", stranger);
        var allowed = await host.GetAsync("metrics", scraper);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains($"system:serviceaccount:{Namespace}:stranger' may not get /metrics", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("tensorfusion_workqueue_depth", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentMetrics_WithMetricsAuth_JudgedByTheApiServersRbac()
    {
        await using var engine = await EngineCluster.StartAsync();
        var (scraper, stranger) = await ScraperAndStrangerAsync(engine.Cluster);
        using var kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = engine.Cluster.Server.BaseUri.ToString(), AccessToken = engine.Cluster.Server.Token });
        using var authorizer = DelegatedAuthorizer.Over(kubernetes, TimeProvider.System);
        var agent = await engine.AddGpuNodeAsync(OperatorCluster.NodeName, gpus: 1, metricsAuthorizer: authorizer);

        var codes = new List<HttpStatusCode>();
        foreach (var token in new[] { null, stranger, scraper })
        {
            // Over the agent's TLS, as the operator dials it: the node is the server name its certificate must carry.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.BaseAddress, "metrics"));
            AgentChannelTrust.TargetNode(request, OperatorCluster.NodeName);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await engine.AgentHttp.SendAsync(request);
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK], codes);
    }

    [Fact]
    public async Task Metrics_WithoutMetricsAuth_ServedWithoutToken()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);

        await using var host = await RunningOperatorHost.StartAsync(cluster, metricsAuth: false);
        var anonymous = await host.GetAsync("metrics", token: null);

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task ConnectionLookup_401WithoutToken403WithoutGetOnTheConnectionPastAuthWithIt()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await CreateAsync(cluster, $"apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/roles", """
            {"metadata":{"name":"connection-reader"},"rules":[{"apiGroups":["tensor-fusion.ai"],"resources":["tensorfusionconnections"],"verbs":["get"]}]}
            """);
        await CreateAsync(cluster, $"apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/rolebindings", """
            {"metadata":{"name":"connection-reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"connection-reader"},
             "subjects":[{"kind":"ServiceAccount","name":"client"}]}
            """);
        var client = await TokenAsync(cluster, "client");
        var stranger = await TokenAsync(cluster, "stranger");
        var path = $"api/connection?name=client-a&namespace={Namespace}";

        await using var host = await RunningOperatorHost.StartAsync(cluster, metricsAuth: false);
        var anonymous = await host.GetAsync(path, token: null);
        var forbidden = await host.GetAsync(path, stranger);
        // The client's Role is in "default" only: the same token asking about another namespace is refused.
        var elsewhere = await host.GetAsync("api/connection?name=client-a&namespace=kube-system", client);
        var allowed = await host.GetAsync(path, client);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains($"may not get tensorfusionconnections.tensor-fusion.ai {Namespace}/client-a", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        // Past authorisation the lookup itself answers: no such connection.
        Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
    }

    /// <summary>ServiceAccount "scraper" bound to a ClusterRole with get on /metrics, and "stranger" with nothing; their tokens.</summary>
    private static async Task<(string Scraper, string Stranger)> ScraperAndStrangerAsync(OperatorCluster cluster)
    {
        await CreateAsync(cluster, "apis/rbac.authorization.k8s.io/v1/clusterroles", """
            {"metadata":{"name":"test-metrics-reader"},"rules":[{"nonResourceURLs":["/metrics"],"verbs":["get"]}]}
            """);
        await CreateAsync(cluster, "apis/rbac.authorization.k8s.io/v1/clusterrolebindings", $$"""
            {"metadata":{"name":"test-metrics-reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"test-metrics-reader"},
             "subjects":[{"kind":"ServiceAccount","name":"scraper","namespace":"{{Namespace}}"}]}
            """);
        return (await TokenAsync(cluster, "scraper"), await TokenAsync(cluster, "stranger"));
    }

    private static Task CreateAsync(OperatorCluster cluster, string collectionPath, string json) =>
        cluster.Direct.CreateAsync(collectionPath, JsonNode.Parse(json)!, CancellationToken.None);

    /// <summary>A ServiceAccount in the test namespace and a token for the API server's audience (what a pod's default token is).</summary>
    private static async Task<string> TokenAsync(OperatorCluster cluster, string serviceAccount)
    {
        await CreateAsync(cluster, $"api/v1/namespaces/{Namespace}/serviceaccounts", $$$"""{"metadata":{"name":"{{{serviceAccount}}}"}}""");
        var response = await cluster.Direct.CreateAsync<JsonNode>($"api/v1/namespaces/{Namespace}/serviceaccounts/{serviceAccount}/token",
            JsonNode.Parse("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}""")!, CancellationToken.None);
        return response["status"]!["token"]!.GetValue<string>();
    }
}
