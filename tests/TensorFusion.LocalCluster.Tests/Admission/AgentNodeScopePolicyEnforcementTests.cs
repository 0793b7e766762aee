using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Tests.Authorization;

namespace TensorFusion.LocalCluster.Tests.Admission;

/// <summary>
/// The shipped node-scope ValidatingAdmissionPolicy (deploy/policies/agent-node-scope), applied with kubectl and
/// enforced by the embedded API server against requests made with the agent's pod-bound ServiceAccount token: the
/// agent on node-a writes its own GPUNode and GPUs and nothing of node-b's, may not relabel a GPU onto its node, and a
/// token without a node is refused; other users are not judged.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentNodeScopePolicyEnforcementTests
{
    private const string AgentNamespace = "tensor-fusion-system";
    private const string Denied = "ValidatingAdmissionPolicy 'tensorfusion-agent-node-scope' with binding 'tensorfusion-agent-node-scope' denied request: ";

    [Fact]
    public async Task AgentTokenBoundToAPodOnNodeA_WritesOnlyNodeAsObjects()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await SetUpAsync(cluster);
        var token = await PodBoundTokenAsync(cluster, "agent-a");

        var ownNode = await AsAgentAsync(cluster, token, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpunodes", GpuNode("node-a"));
        var otherNode = await AsAgentAsync(cluster, token, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpunodes", GpuNode("node-b"));
        var ownGpu = await AsAgentAsync(cluster, token, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpus", Gpu("gpu-a0", "node-a"));
        var ownStatus = await AsAgentAsync(cluster, token, HttpMethod.Patch, "apis/tensor-fusion.ai/v1/gpus/gpu-a0/status", """{"status":{"phase":"Running"}}""");
        var otherGpu = await AsAgentAsync(cluster, token, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpus", Gpu("gpu-b1", "node-b"));
        var moveAway = await AsAgentAsync(cluster, token, HttpMethod.Patch, "apis/tensor-fusion.ai/v1/gpus/gpu-a0", Relabel("node-b"));

        Assert.Equal(201, ownNode.Status);
        Assert.Equal(201, ownGpu.Status);
        Assert.Equal(200, ownStatus.Status);
        Assert.Equal(403, otherNode.Status);
        Assert.Equal("Forbidden", otherNode.Body!["reason"]!.GetValue<string>());
        Assert.Equal(Denied + "the agent on node node-a may only write its own GPUNode and GPUs; this GPUNode belongs to node \"node-b\"", otherNode.Body["message"]!.GetValue<string>());
        Assert.Equal(403, otherGpu.Status);
        Assert.Contains("this GPU belongs to node \"node-b\"", otherGpu.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(403, moveAway.Status);
        Assert.Null(cluster.Server.Store.Get("gpunodes.tensor-fusion.ai", string.Empty, "node-b"));
        Assert.Equal("node-a", Label(cluster, "gpu-a0"));
    }

    [Fact]
    public async Task AgentRelabelsNodeBsGpuOntoItsOwnNode_DeniedByTheOldObjectCheck()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await SetUpAsync(cluster);
        await cluster.SendAsync(HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpus", Gpu("gpu-b0", "node-b")); // as admin: not judged
        var token = await PodBoundTokenAsync(cluster, "agent-a");

        var steal = await AsAgentAsync(cluster, token, HttpMethod.Patch, "apis/tensor-fusion.ai/v1/gpus/gpu-b0", Relabel("node-a"));

        // The new object says node-a, the old one node-b: oldObject is checked too, so no GPU moves onto the caller's node.
        Assert.Equal(403, steal.Status);
        Assert.Equal("node-b", Label(cluster, "gpu-b0"));
    }

    [Fact]
    public async Task AgentTokenWithoutANode_RefusedSayingSoAndThePodsDeletionRevokesABoundToken()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { RunControllers = false });
        await SetUpAsync(cluster);
        var unbound = await ServiceAccountTokenTests.RequestTokenAsync(cluster, AgentNamespace, "tensorfusion-agent", []);
        var bound = await PodBoundTokenAsync(cluster, "agent-a");
        var review = await cluster.SendAsync(HttpMethod.Post, "apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{bound}}}"}}""");

        var withoutNode = await AsAgentAsync(cluster, unbound, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpunodes", GpuNode("node-a"));
        await cluster.SendAsync(HttpMethod.Delete, $"api/v1/namespaces/{AgentNamespace}/pods/agent-a?gracePeriodSeconds=0");
        var afterDeletion = await AsAgentAsync(cluster, bound, HttpMethod.Post, "apis/tensor-fusion.ai/v1/gpunodes", GpuNode("node-a"));

        Assert.Equal(403, withoutNode.Status);
        Assert.Equal(Denied + "the agent's service-account token carries no node name; run the agent with a pod-bound token (Kubernetes >= 1.30)", withoutNode.Body!["message"]!.GetValue<string>());
        var extra = review.Body!["status"]!["user"]!["extra"]!;
        Assert.Equal("node-a", extra["authentication.kubernetes.io/node-name"]![0]!.GetValue<string>());
        Assert.Equal("agent-a", extra["authentication.kubernetes.io/pod-name"]![0]!.GetValue<string>());
        Assert.Equal(401, afterDeletion.Status);
    }

    /// <summary>The CRDs, the shipped policy and binding (kubectl apply), the agent's ServiceAccount allowed to write GPUs and GPUNodes, nodes and the agent pod on node-a.</summary>
    private static async Task SetUpAsync(TestCluster cluster)
    {
        var kubectl = new Kubectl.Kubectl(cluster);
        var root = Repository.Root();
        foreach (var file in new[]
        {
            Path.Combine(root, "deploy", "crds", "gpunodes.tensor-fusion.ai.yaml"),
            Path.Combine(root, "deploy", "crds", "gpus.tensor-fusion.ai.yaml"),
            Path.Combine(root, "deploy", "policies", "agent-node-scope", "validatingadmissionpolicy.yaml"),
            Path.Combine(root, "deploy", "policies", "agent-node-scope", "validatingadmissionpolicybinding.yaml"),
        })
        {
            var applied = await kubectl.RunAsync("apply -f " + file);
            Assert.True(applied.ExitCode == 0, $"kubectl apply -f {file}: {applied.Error}");
        }

        await cluster.SendAsync(HttpMethod.Post, "api/v1/namespaces", Named(AgentNamespace));
        await cluster.CreateYamlAsync("apis/rbac.authorization.k8s.io/v1/clusterroles", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: { name: gpu-writer }
            rules: [ { apiGroups: ["tensor-fusion.ai"], resources: ["gpus", "gpus/status", "gpunodes", "gpunodes/status"], verbs: ["get", "create", "update", "patch"] } ]
            """);
        await cluster.CreateYamlAsync("apis/rbac.authorization.k8s.io/v1/clusterrolebindings", $"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {"{"} name: gpu-writer {"}"}
            roleRef: {"{"} apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gpu-writer {"}"}
            subjects: [ {"{"} kind: ServiceAccount, name: tensorfusion-agent, namespace: {AgentNamespace} {"}"} ]
            """);
        foreach (var node in new[] { "node-a", "node-b" })
        {
            await cluster.SendAsync(HttpMethod.Post, "api/v1/nodes", Named(node));
        }

        await ServiceAccountTokenTests.RequestTokenAsync(cluster, AgentNamespace, "tensorfusion-agent", []);
        var (status, body) = await cluster.SendAsync(HttpMethod.Post, $"api/v1/namespaces/{AgentNamespace}/pods",
            """{"metadata":{"name":"agent-a"},"spec":{"nodeName":"node-a","serviceAccountName":"tensorfusion-agent","containers":[{"name":"agent","image":"tensorfusion/agent"}]}}""");
        Assert.True(status == 201, $"agent pod: {status} {body}");
    }

    /// <summary>What the kubelet mounts into the agent's pod: a token bound to that pod (and so to its node).</summary>
    private static async Task<string> PodBoundTokenAsync(TestCluster cluster, string pod)
    {
        var (status, body) = await cluster.SendAsync(HttpMethod.Post, $"api/v1/namespaces/{AgentNamespace}/serviceaccounts/tensorfusion-agent/token",
            new JsonObject
            {
                ["apiVersion"] = "authentication.k8s.io/v1",
                ["kind"] = "TokenRequest",
                ["spec"] = new JsonObject { ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = pod } },
            }.ToJsonString());
        Assert.True(status == 201, $"TokenRequest: {status} {body}");
        Assert.Equal(pod, body!["spec"]!["boundObjectRef"]!["name"]!.GetValue<string>());
        return body["status"]!["token"]!.GetValue<string>();
    }

    private static Task<(int Status, JsonNode? Body)> AsAgentAsync(TestCluster cluster, string token, HttpMethod method, string path, string body) =>
        ServiceAccountTokenTests.SendAsAsync(cluster, token, method, path, body, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");

    private static string Named(string name) => new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString();

    private static string GpuNode(string name) => new JsonObject
    {
        ["apiVersion"] = "tensor-fusion.ai/v1", ["kind"] = "GPUNode", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject(),
    }.ToJsonString();

    private static string Gpu(string name, string node) => new JsonObject
    {
        ["apiVersion"] = "tensor-fusion.ai/v1", ["kind"] = "GPU",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["tensor-fusion.ai/managed-by"] = node } },
    }.ToJsonString();

    private static string Relabel(string node) =>
        new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tensor-fusion.ai/managed-by"] = node } } }.ToJsonString();

    private static string? Label(TestCluster cluster, string gpu) =>
        cluster.Server.Store.Get("gpus.tensor-fusion.ai", string.Empty, gpu)?.Value["metadata"]?["labels"]?["tensor-fusion.ai/managed-by"]?.GetValue<string>();
}
