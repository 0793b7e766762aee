using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Tests.Authorization;

/// <summary>
/// Every role of deploy/base against the requests our components make, and one step beyond each: the operator's
/// informers, writes, bindings, evictions, leases and events; the agent's GPU/GPUNode writes and TokenReviews.
/// Decided by SubjectAccessReview, which runs the same RBAC decision that guards every request.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ShippedRoleTests(ShippedRbacCluster fixture) : IClassFixture<ShippedRbacCluster>
{
    private const string Tf = "tensor-fusion.ai";
    private const string Ns = ShippedRbac.Namespace;

    public static TheoryData<string, string, string, string, string, string, bool> Requests => new()
    {
        // who, verb, group, resource (with /subresource), namespace, name, allowed
        // The operator's informers: list + watch cluster-wide.
        { "operator", "list", Tf, "tensorfusionworkloads", "", "", true },
        { "operator", "watch", Tf, "tensorfusionworkloads", "", "", true },
        { "operator", "watch", Tf, "gpupools", "", "", true },
        { "operator", "watch", Tf, "workloadprofiles", "", "", true },
        { "operator", "watch", Tf, "gpus", "", "", true },
        { "operator", "watch", Tf, "gpunodes", "", "", true },
        { "operator", "watch", Tf, "schedulingconfigtemplates", "", "", true },
        { "operator", "watch", Tf, "gpuresourcequotas", "", "", true },
        { "operator", "list", "", "pods", "", "", true },
        { "operator", "watch", "", "nodes", "", "", true },
        // The operator's writes.
        { "operator", "patch", Tf, "tensorfusionworkloads", "team-a", "llm", true },
        { "operator", "patch", Tf, "tensorfusionworkloads/status", "team-a", "llm", true },
        { "operator", "update", Tf, "tensorfusionworkloads/finalizers", "team-a", "llm", true },
        { "operator", "patch", Tf, "gpus/status", "", "gpu-0", true },
        { "operator", "delete", Tf, "gpunodes", "", "node-1", true },
        { "operator", "create", "", "pods", "team-a", "", true },
        { "operator", "delete", "", "pods", "team-a", "llm-worker-0", true },
        { "operator", "patch", "", "pods/status", "team-a", "llm-worker-0", true },
        { "operator", "create", "", "pods/binding", "team-a", "llm-worker-0", true },
        { "operator", "create", "", "pods/eviction", "team-a", "llm-worker-0", true },
        { "operator", "patch", "", "nodes", "", "node-1", true },
        { "operator", "create", "resource.k8s.io", "resourceclaims", "team-a", "", true },
        { "operator", "patch", "resource.k8s.io", "resourceclaims/status", "team-a", "llm-worker-0-gpu", true },
        { "operator", "update", "resource.k8s.io", "resourceclaims/binding", "team-a", "llm-worker-0-gpu", true },
        { "operator", "create", "", "events", "team-a", "", true },
        { "operator", "create", "events.k8s.io", "events", "team-a", "", true },
        // The pod webhook: the workload of an annotated pod, its root controller, its own caBundle.
        { "operator", "create", Tf, "tensorfusionworkloads", "team-a", "", true },
        { "operator", "get", "apps", "replicasets", "team-a", "llm-6d4f", true },
        { "operator", "get", "batch", "jobs", "team-a", "train", true },
        { "operator", "get", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "tensor-fusion-pod-webhook", true },
        { "operator", "update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "tensor-fusion-pod-webhook", true },
        // Leader election: its own Lease in its own namespace.
        { "operator", "get", "coordination.k8s.io", "leases", Ns, "tensorfusion-operator", true },
        { "operator", "update", "coordination.k8s.io", "leases", Ns, "tensorfusion-operator", true },
        { "operator", "create", "coordination.k8s.io", "leases", Ns, "", true },
        // One step beyond.
        { "operator", "delete", "", "nodes", "", "node-1", false },
        { "operator", "update", "", "nodes", "", "node-1", false },
        { "operator", "list", "apps", "replicasets", "", "", false },
        { "operator", "update", "apps", "replicasets", "team-a", "llm-6d4f", false },
        { "operator", "update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "someone-elses-webhook", false },
        { "operator", "create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "", false },
        { "operator", "update", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "tensor-fusion-pod-webhook", false },
        { "operator", "delete", Tf, "tensorfusionworkloads", "team-a", "llm", false },
        { "operator", "update", "", "pods/status", "team-a", "llm-worker-0", false },
        { "operator", "list", "", "secrets", "", "", false },
        { "operator", "update", "resource.k8s.io", "resourceclaims", "team-a", "llm-worker-0-gpu", false },
        { "operator", "delete", "resource.k8s.io", "resourceclaims", "team-a", "llm-worker-0-gpu", false },
        { "operator", "create", "resource.k8s.io", "resourceslices", "", "", false },
        { "operator", "get", "", "secrets", Ns, "agent-token", false },
        { "operator", "update", "coordination.k8s.io", "leases", Ns, "someone-else", false },
        { "operator", "update", "coordination.k8s.io", "leases", "kube-system", "tensorfusion-operator", false },
        { "operator", "create", "coordination.k8s.io", "leases", "default", "", false },
        // Its endpoints (/api/connection, /metrics with --metrics-auth) ask the API server who calls and what they may do.
        { "operator", "create", "authentication.k8s.io", "tokenreviews", "", "", true },
        { "operator", "create", "authorization.k8s.io", "subjectaccessreviews", "", "", true },
        { "operator", "get", "authentication.k8s.io", "tokenreviews", "", "", false },
        { "operator", "escalate", "rbac.authorization.k8s.io", "clusterroles", "", "", false },
        // The agent: its GPU and GPUNode objects and their status, its node, pods on it, TokenReviews, events.
        { "agent", "get", Tf, "gpus", "", "gpu-0", true },
        { "agent", "create", Tf, "gpus", "", "", true },
        { "agent", "patch", Tf, "gpunodes", "", "node-1", true },
        { "agent", "patch", Tf, "gpus/status", "", "gpu-0", true },
        { "agent", "update", Tf, "gpunodes/status", "", "node-1", true },
        { "agent", "get", "", "nodes", "", "node-1", true },
        { "agent", "watch", "", "nodes", "", "node-1", true },
        { "agent", "list", "", "pods", "", "", true },
        { "agent", "create", "authentication.k8s.io", "tokenreviews", "", "", true },
        { "agent", "create", "authorization.k8s.io", "subjectaccessreviews", "", "", true },
        { "agent", "create", "", "events", "default", "", true },
        { "agent", "get", "resource.k8s.io", "resourceclaims", "team-a", "llm-worker-0-gpu", true },
        { "agent", "create", "resource.k8s.io", "resourceslices", "", "", true },
        { "agent", "update", "resource.k8s.io", "resourceslices", "", "node-1-gpu.tensor-fusion.ai", true },
        { "agent", "update", "resource.k8s.io", "resourceclaims/status", "team-a", "llm-worker-0-gpu", false },
        { "agent", "delete", "resource.k8s.io", "resourceslices", "", "node-1-gpu.tensor-fusion.ai", false },
        // One step beyond.
        { "agent", "delete", Tf, "gpus", "", "gpu-0", false },
        { "agent", "delete", Tf, "gpunodes", "", "node-1", false },
        { "agent", "list", "", "nodes", "", "", false },
        { "agent", "patch", "", "nodes", "", "node-1", false },
        { "agent", "create", "", "pods", "team-a", "", false },
        { "agent", "delete", "", "pods", "team-a", "llm-worker-0", false },
        { "agent", "create", "", "pods/binding", "team-a", "llm-worker-0", false },
        { "agent", "list", "", "secrets", "", "", false },
        { "agent", "patch", Tf, "tensorfusionworkloads", "team-a", "llm", false },
        { "agent", "update", Tf, "gpupools/status", "", "default-pool", false },
        { "agent", "create", "coordination.k8s.io", "leases", Ns, "", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task SubjectAccessReview_ShippedRole_AllowsWhatTheCodeNeedsOnly(
        string who, string verb, string group, string resource, string @namespace, string name, bool allowed)
    {
        var user = who == "operator" ? ShippedRbac.Operator : ShippedRbac.Agent;
        var parts = resource.Split('/');
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = user,
                ["groups"] = new JsonArray("system:serviceaccounts", "system:serviceaccounts:" + Ns, "system:authenticated"),
                ["resourceAttributes"] = new JsonObject
                {
                    ["verb"] = verb, ["group"] = group, ["resource"] = parts[0], ["subresource"] = parts.Length > 1 ? parts[1] : "",
                    ["namespace"] = @namespace, ["name"] = name,
                },
            },
        };

        var (status, body) = await fixture.Cluster.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/subjectaccessreviews", review.ToJsonString());

        Assert.Equal(201, status);
        Assert.True(allowed == body!["status"]!["allowed"]!.GetValue<bool>(),
            $"{who} {verb} {resource} in '{@namespace}' name '{name}': expected {(allowed ? "allowed" : "refused")}");
    }
}
