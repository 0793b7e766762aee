using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed class RbacTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    private static readonly string[] RuleFields = ["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"];

    [Fact]
    public void Roles_EveryOverlay_ContainNoWildcard()
    {
        foreach (var rendered in manifests.All)
        {
            foreach (var (role, rule) in Rules(rendered))
            {
                foreach (var field in RuleFields)
                {
                    Assert.True(!RenderedManifests.Strings(rule[field]).Any(value => value.Contains('*', StringComparison.Ordinal)),
                        $"{rendered.Directory}: {role} has '*' in {field}: {rule.ToJsonString()}");
                }
            }
        }
    }

    [Fact]
    public void Roles_EveryOverlay_GrantNoEscalationPathOrSecretAccess()
    {
        string[] forbiddenVerbs = ["escalate", "bind", "impersonate"];
        string[] forbiddenResources = ["secrets", "nodes/proxy", "serviceaccounts/token", "certificatesigningrequests/approval",
            "mutatingwebhookconfigurations", "validatingwebhookconfigurations", "clusterroles", "clusterrolebindings", "roles", "rolebindings"];
        foreach (var (role, rule) in Rules(manifests.Base))
        {
            Assert.Empty(RenderedManifests.Strings(rule["verbs"]).Intersect(forbiddenVerbs));
            if (IsOwnWebhookCaBundleRule(role, rule) || IsAgentTrustRule(role, rule))
            {
                continue;
            }

            Assert.True(!RenderedManifests.Strings(rule["resources"]).Intersect(forbiddenResources).Any(), $"{role}: {rule.ToJsonString()}");
        }
    }

    /// <summary>
    /// The one exception: the operator keeps the caBundle of its own pod webhook current (it issues the certificate
    /// itself), so it may get and update that configuration by name, and nothing else about webhooks.
    /// </summary>
    private static bool IsOwnWebhookCaBundleRule(string role, JsonNode rule) =>
        role == "ClusterRole/tensorfusion-operator"
        && RenderedManifests.Strings(rule["resources"]).SequenceEqual(["mutatingwebhookconfigurations"])
        && RenderedManifests.Strings(rule["resourceNames"]).SequenceEqual(["tensor-fusion-pod-webhook"])
        && !RenderedManifests.Strings(rule["verbs"]).Except(["get", "update"]).Any();

    /// <summary>
    /// The agent channel's exceptions: the operator keeps its agent CA in one Secret of its own namespace (get by name,
    /// create there) and approves certificate requests, which the API server allows only together with 'approve' on a
    /// signer, granted for tensor-fusion.ai/agent-serving alone (<see cref="OperatorRole_SignsOnlyTheAgentSigner"/>).
    /// </summary>
    private static bool IsAgentTrustRule(string role, JsonNode rule)
    {
        var resources = RenderedManifests.Strings(rule["resources"]).ToList();
        var verbs = RenderedManifests.Strings(rule["verbs"]).ToList();
        return (role == "Role/tensorfusion-operator-agent-trust" && resources.SequenceEqual(["secrets"])
                && (RenderedManifests.Strings(rule["resourceNames"]).SequenceEqual(["tensorfusion-agent-ca"]) ? verbs.SequenceEqual(["get"]) : verbs.SequenceEqual(["create"])))
            || (role == "ClusterRole/tensorfusion-operator" && resources.SequenceEqual(["certificatesigningrequests/approval"]) && verbs.SequenceEqual(["update"]));
    }

    [Fact]
    public void OperatorRole_SignsOnlyTheAgentSigner()
    {
        var signerRules = Rules(manifests.Base).Where(r => RenderedManifests.Strings(r.Rule["resources"]).Contains("signers")).ToList();

        var (role, rule) = Assert.Single(signerRules);
        Assert.Equal("ClusterRole/tensorfusion-operator", role);
        Assert.Equal(["tensor-fusion.ai/agent-serving"], RenderedManifests.Strings(rule["resourceNames"]));
        Assert.Equal(["approve", "sign"], RenderedManifests.Strings(rule["verbs"]));
    }

    [Fact]
    public void Roles_StatusAndFinalizers_AreRulesOfTheirOwn()
    {
        foreach (var (role, rule) in Rules(manifests.Base))
        {
            var resources = RenderedManifests.Strings(rule["resources"]);
            var kinds = resources.Select(r => r.Contains('/', StringComparison.Ordinal) ? r[(r.IndexOf('/', StringComparison.Ordinal) + 1)..] : "").Distinct().ToList();
            Assert.True(kinds.Count == 1, $"{role} mixes main resources and subresources in one rule: {string.Join(", ", resources)}");
        }

        var operatorRules = Rules(manifests.Base).Where(r => r.Role == "ClusterRole/tensorfusion-operator").Select(r => r.Rule).ToList();
        Assert.Equal(["update"], RenderedManifests.Strings(RuleFor(operatorRules, "tensorfusionworkloads/finalizers")["verbs"]));
        Assert.Equal(["get", "update", "patch"], RenderedManifests.Strings(RuleFor(operatorRules, "tensorfusionworkloads/status")["verbs"]));
    }

    [Fact]
    public void AgentRole_WritesOnlyGpuInventoryAndReadsPodsAndItsNode()
    {
        var agentRules = Rules(manifests.Base).Where(r => r.Role == "ClusterRole/tensorfusion-agent").Select(r => r.Rule).ToList();
        string[] writeVerbs = ["create", "update", "patch", "delete", "deletecollection"];
        var written = agentRules
            .Where(rule => RenderedManifests.Strings(rule["verbs"]).Intersect(writeVerbs).Any())
            .SelectMany(rule => RenderedManifests.Strings(rule["resources"]))
            .Order(StringComparer.Ordinal);
        // Events and reviews are "create" only: events explain refusals, TokenReviews authenticate plan pushes and
        // scrapes, SubjectAccessReviews authorise scrapes (--metrics-auth). ResourceSlices: the node's own DRA slice
        // (get/create/update, no list or delete). CertificateSigningRequests: its serving certificate (create/get/watch,
        // no approval or status).
        Assert.Equal(["certificatesigningrequests", "events", "gpunodes", "gpunodes/status", "gpus", "gpus/status", "resourceslices", "subjectaccessreviews", "tokenreviews"], written);
        Assert.Equal(["create", "get", "watch"], RenderedManifests.Strings(RuleFor(agentRules, "certificatesigningrequests")["verbs"]));
        Assert.Equal(["get", "create", "update"], RenderedManifests.Strings(RuleFor(agentRules, "resourceslices")["verbs"]));
        Assert.Equal(["get"], RenderedManifests.Strings(RuleFor(agentRules, "resourceclaims")["verbs"]));
        Assert.DoesNotContain(agentRules, rule => RenderedManifests.Strings(rule["verbs"]).Contains("delete"));
        Assert.Equal(["get", "list", "watch"], RenderedManifests.Strings(RuleFor(agentRules, "pods")["verbs"]));
        Assert.Equal(["get", "watch"], RenderedManifests.Strings(RuleFor(agentRules, "nodes")["verbs"]));
        Assert.Equal(["create"], RenderedManifests.Strings(RuleFor(agentRules, "tokenreviews")["verbs"]));
    }

    [Fact]
    public void OperatorRoles_LeaderElectionIsNamespacedAndReviewsOnlyInTheirOwnRole()
    {
        var leaderElection = manifests.Base.Single("Role", "tensorfusion-operator-leader-election");
        Assert.Equal("tensor-fusion-system", (string?)leaderElection["metadata"]!["namespace"]);
        var byName = leaderElection["rules"]!.AsArray().Single(r => r!["resourceNames"] is not null)!;
        Assert.Equal(["tensorfusion-operator"], RenderedManifests.Strings(byName["resourceNames"]));
        var operatorResources = Rules(manifests.Base).Where(r => r.Role.EndsWith("/tensorfusion-operator", StringComparison.Ordinal))
            .SelectMany(r => RenderedManifests.Strings(r.Rule["resources"]));
        Assert.DoesNotContain("tokenreviews", operatorResources);
        Assert.DoesNotContain("leases", operatorResources);
        // Its endpoints' callers are checked through a role of its own that can only create reviews.
        var delegated = Rules(manifests.Base).Where(r => r.Role == "ClusterRole/tensorfusion-operator-delegated-auth").Select(r => r.Rule).ToList();
        Assert.Equal(["tokenreviews", "subjectaccessreviews"], delegated.SelectMany(rule => RenderedManifests.Strings(rule["resources"])));
        Assert.All(delegated, rule => Assert.Equal(["create"], RenderedManifests.Strings(rule["verbs"])));
    }

    [Fact]
    public void Bindings_BindEachRoleToItsOwnServiceAccountOnly()
    {
        foreach (var binding in manifests.Base.OfKind("ClusterRoleBinding").Concat(manifests.Base.OfKind("RoleBinding")))
        {
            var subject = binding["subjects"]!.AsArray().Single()!;
            Assert.Equal("ServiceAccount", (string?)subject["kind"]);
            Assert.Equal("tensor-fusion-system", (string?)subject["namespace"]);
            Assert.StartsWith((string)subject["name"]!, (string)binding["roleRef"]!["name"]!, StringComparison.Ordinal);
        }
    }

    private static JsonNode RuleFor(IEnumerable<JsonNode> rules, string resource) =>
        rules.Single(rule => RenderedManifests.Strings(rule["resources"]).Contains(resource));

    private static IEnumerable<(string Role, JsonNode Rule)> Rules(RenderedManifests rendered) =>
        rendered.OfKind("ClusterRole").Concat(rendered.OfKind("Role"))
            .SelectMany(role => role["rules"]!.AsArray().Select(rule => ($"{role["kind"]}/{role["metadata"]!["name"]}", rule!)));
}
