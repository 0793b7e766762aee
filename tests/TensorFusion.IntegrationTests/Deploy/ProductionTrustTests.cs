using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// What the production overlay adds to the trust model (docs/operations.md, "Trust and fencing"): /metrics behind
/// RBAC on the operator and the agents, a scraper role and the token Prometheus sends, and NetworkPolicies that say
/// who may connect to the agents and the operator.
/// </summary>
[Trait("Category", "Deploy")]
public sealed class ProductionTrustTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    [Theory]
    [InlineData("Deployment", "tensorfusion-operator")]
    [InlineData("DaemonSet", "tensorfusion-agent")]
    public void Production_OperatorAndAgent_RunWithMetricsAuthAndBaseDoesNot(string kind, string name)
    {
        Assert.Contains("--metrics-auth", Args(manifests.Production, kind, name));
        Assert.DoesNotContain("--metrics-auth", Args(manifests.Base, kind, name));
    }

    [Fact]
    public void Production_ScraperRole_GetsOnlyMetricsAndIsBoundToPrometheus()
    {
        var role = manifests.Production.Single("ClusterRole", "tensorfusion-metrics-reader");
        var rule = role["rules"]!.AsArray().Single()!;
        var binding = manifests.Production.Single("ClusterRoleBinding", "tensorfusion-metrics-reader");

        Assert.Equal(["/metrics"], RenderedManifests.Strings(rule["nonResourceURLs"]));
        Assert.Equal(["get"], RenderedManifests.Strings(rule["verbs"]));
        Assert.Null(rule["resources"]);
        Assert.Equal("tensorfusion-metrics-reader", (string?)binding["roleRef"]!["name"]);
        Assert.Equal("ServiceAccount", (string?)binding["subjects"]![0]!["kind"]);
    }

    [Fact]
    public void Production_ServiceMonitors_SendTheirServiceAccountToken()
    {
        foreach (var monitor in manifests.Production.OfKind("ServiceMonitor"))
        {
            Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/token", (string?)monitor["spec"]!["endpoints"]![0]!["bearerTokenFile"]);
        }

        Assert.Equal(2, manifests.Production.OfKind("ServiceMonitor").Count());
    }

    [Fact]
    public void Production_OperatorMayReviewTokensAndAccessForItsEndpoints()
    {
        var rules = manifests.Production.Single("ClusterRole", "tensorfusion-operator-delegated-auth")["rules"]!.AsArray();
        var binding = manifests.Production.Single("ClusterRoleBinding", "tensorfusion-operator-delegated-auth");

        Assert.Equal(["tokenreviews", "subjectaccessreviews"], rules.SelectMany(rule => RenderedManifests.Strings(rule!["resources"])));
        Assert.All(rules, rule => Assert.Equal(["create"], RenderedManifests.Strings(rule!["verbs"])));
        Assert.Equal("tensorfusion-operator", (string?)binding["subjects"]![0]!["name"]);
    }

    [Fact]
    public void Production_AgentNetworkPolicy_AdmitsOnlyOperatorPodsAndMonitoringOnTheAgentPort()
    {
        var policy = manifests.Production.Single("NetworkPolicy", "tensorfusion-agent");
        var ingress = policy["spec"]!["ingress"]!.AsArray().Single()!;
        var agentPort = (string?)RenderedManifests.Containers(manifests.Production.Single("DaemonSet", "tensorfusion-agent")).Single()["ports"]![0]!["containerPort"];

        Assert.Equal("tensorfusion-agent", (string?)policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        Assert.Equal(["Ingress"], RenderedManifests.Strings(policy["spec"]!["policyTypes"]));
        Assert.Equal([agentPort], Ports(ingress));
        var sources = ingress["from"]!.AsArray().Select(peer => peer!.ToJsonString()).ToList();
        Assert.Equal(2, sources.Count);
        Assert.Contains(sources, peer => peer.Contains("\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"tensorfusion-operator\"}}", StringComparison.Ordinal)
            && !peer.Contains("namespaceSelector", StringComparison.Ordinal));
        Assert.Contains(sources, peer => peer.Contains("\"kubernetes.io/metadata.name\":\"monitoring\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_OperatorNetworkPolicy_MetricsFromMonitoringAndClientsWebhookFromAnywhere()
    {
        var policy = manifests.Production.Single("NetworkPolicy", "tensorfusion-operator");
        var rules = policy["spec"]!["ingress"]!.AsArray().Select(rule => rule!).ToList();
        var metrics = rules.Single(rule => Ports(rule).SequenceEqual(["8080"]));
        var webhook = rules.Single(rule => Ports(rule).SequenceEqual(["9443"]));

        Assert.Equal("tensorfusion-operator", (string?)policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        Assert.Equal(2, rules.Count);
        var sources = metrics["from"]!.AsArray().Select(peer => peer!.ToJsonString()).ToList();
        Assert.Contains(sources, peer => peer == """{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}""");
        Assert.Contains(sources, peer => peer.Contains("\"tensor-fusion.ai/enabled\":\"true\"", StringComparison.Ordinal));
        // The API server's address cannot be selected portably: the webhook port takes any source.
        Assert.Null(webhook["from"]);
    }

    /// <summary>The rule's port numbers as rendered (the YAML reader keeps scalars as text).</summary>
    private static IEnumerable<string?> Ports(JsonNode rule) => rule["ports"]!.AsArray().Select(port => (string?)port!["port"]);

    private static IReadOnlyList<string> Args(RenderedManifests rendered, string kind, string name) =>
        RenderedManifests.Strings(RenderedManifests.Containers(rendered.Single(kind, name)).First()["args"]);
}
