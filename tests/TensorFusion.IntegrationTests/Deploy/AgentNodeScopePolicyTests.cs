namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// The opt-in ValidatingAdmissionPolicy component (deploy/policies/agent-node-scope). Its CEL is not executed
/// here (no API server with admission in the test environment); these tests pin what it matches and that
/// it composes with the production overlay.
/// </summary>
[Trait("Category", "Deploy")]
public sealed class AgentNodeScopePolicyTests
{
    [Fact]
    public async Task Render_ProductionWithComponent_AddsPolicyAndBindingForTheAgentServiceAccount()
    {
        var rendered = await RenderProductionWithPolicyAsync();

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
    public async Task Policy_ReadsNodeFromTokenAndOwnerLabelOfOldAndNewObject()
    {
        var policy = (await RenderProductionWithPolicyAsync()).Single("ValidatingAdmissionPolicy", "tensorfusion-agent-node-scope");
        var variables = policy["spec"]!["variables"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["expression"]!);

        Assert.Contains("request.userInfo.extra['authentication.kubernetes.io/node-name'][0]", variables["callerNode"], StringComparison.Ordinal);
        Assert.Contains("object.metadata.labels['tensor-fusion.ai/managed-by']", variables["objectNode"], StringComparison.Ordinal);
        Assert.Contains("oldObject.metadata.labels['tensor-fusion.ai/managed-by']", variables["previousNode"], StringComparison.Ordinal);
        Assert.Equal(2, policy["spec"]!["validations"]!.AsArray().Count);
    }

    [Fact]
    public async Task Render_ProductionOverlayAlone_DoesNotEnforceThePolicy()
    {
        var production = await RenderedManifests.RenderAsync(RepositoryLayout.Deploy("overlays", "production"));

        Assert.Empty(production.OfKind("ValidatingAdmissionPolicy"));
    }

    /// <summary>kustomize refuses absolute paths, so the temporary kustomization points at the repository relatively.</summary>
    private static async Task<RenderedManifests> RenderProductionWithPolicyAsync()
    {
        var directory = Directory.CreateTempSubdirectory("tensorfusion-kustomize-");
        try
        {
            string Relative(params string[] parts) => Path.GetRelativePath(directory.FullName, RepositoryLayout.Deploy(parts));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "kustomization.yaml"), $"""
                resources:
                  - {Relative("overlays", "production")}
                components:
                  - {Relative("policies", "agent-node-scope")}
                """);
            return await RenderedManifests.RenderAsync(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
