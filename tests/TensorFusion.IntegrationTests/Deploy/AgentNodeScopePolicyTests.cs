namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// The ValidatingAdmissionPolicy component (deploy/policies/agent-node-scope), on in the production overlay. These tests
/// pin what it matches and that production enforces it for every agent without any opt-in; its CEL is run against
/// real requests by the embedded API server in TensorFusion.LocalCluster.Tests (AgentNodeScopePolicyEnforcementTests).
/// </summary>
[Trait("Category", "Deploy")]
public sealed class AgentNodeScopePolicyTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    [Fact]
    public void Render_Production_AddsPolicyAndBindingForTheAgentServiceAccount()
    {
        var rendered = manifests.Production;

        var policy = rendered.Single("ValidatingAdmissionPolicy", "tensorfusion-agent-node-scope");
        var binding = rendered.Single("ValidatingAdmissionPolicyBinding", "tensorfusion-agent-node-scope");
        Assert.Equal("tensorfusion-agent-node-scope", (string?)binding["spec"]!["policyName"]);
        Assert.Equal(["Deny"], RenderedManifests.Strings(binding["spec"]!["validationActions"]));
        Assert.Equal("Fail", (string?)policy["spec"]!["failurePolicy"]);

        var agentAccount = rendered.Single("ServiceAccount", "tensorfusion-agent")["metadata"]!;
        var username = $"system:serviceaccount:{agentAccount["namespace"]}:{agentAccount["name"]}";
        var condition = (string)policy["spec"]!["matchConditions"]![0]!["expression"]!;
        Assert.Equal($"request.userInfo.username == '{username}'", condition);

        var rule = policy["spec"]!["matchConstraints"]!["resourceRules"]![0]!;
        Assert.Equal(["CREATE", "UPDATE"], RenderedManifests.Strings(rule["operations"]));
        Assert.Equal(["gpus", "gpus/status", "gpunodes", "gpunodes/status"], RenderedManifests.Strings(rule["resources"]));
    }

    [Fact]
    public void Policy_ReadsNodeFromTokenAndOwnerLabelOfOldAndNewObject()
    {
        var policy = manifests.Production.Single("ValidatingAdmissionPolicy", "tensorfusion-agent-node-scope");
        var variables = policy["spec"]!["variables"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["expression"]!);

        Assert.Contains("request.userInfo.extra['authentication.kubernetes.io/node-name'][0]", variables["callerNode"], StringComparison.Ordinal);
        Assert.Contains("object.metadata.labels['tensor-fusion.ai/managed-by']", variables["objectNode"], StringComparison.Ordinal);
        Assert.Contains("oldObject.metadata.labels['tensor-fusion.ai/managed-by']", variables["previousNode"], StringComparison.Ordinal);
        Assert.Equal(2, policy["spec"]!["validations"]!.AsArray().Count);
    }

    [Fact]
    public void Render_Production_BindingEnforcesForEveryObjectWithoutOptIn()
    {
        var binding = manifests.Production.Single("ValidatingAdmissionPolicyBinding", "tensorfusion-agent-node-scope");
        var policy = manifests.Production.Single("ValidatingAdmissionPolicy", "tensorfusion-agent-node-scope");

        // Not opt-in: no parameters to supply, no namespace or object selector that a label would have to match, and a
        // refusal (not an audit or warning) when the agent writes another node's objects.
        Assert.Null(binding["spec"]!["paramRef"]);
        Assert.Null(binding["spec"]!["matchResources"]);
        Assert.Null(policy["spec"]!["paramKind"]);
        Assert.Null(policy["spec"]!["matchConstraints"]!["namespaceSelector"]?["matchLabels"]);
        Assert.Null(policy["spec"]!["matchConstraints"]!["objectSelector"]?["matchLabels"]);
        Assert.Equal(["Deny"], RenderedManifests.Strings(binding["spec"]!["validationActions"]));
    }

    [Fact]
    public void Render_DevOverlay_LeavesThePolicyOut()
    {
        // Dev clusters (kind, k3d) may predate ValidatingAdmissionPolicy GA (1.30); production requires it.
        Assert.Empty(manifests.Dev.OfKind("ValidatingAdmissionPolicy"));
    }
}
