using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// The roles and bindings every Kubernetes cluster starts with (a subset of the API server's bootstrap policy):
/// cluster-admin for system:masters, and what any authenticated user may do — discovery, the public info endpoints
/// and asking about its own permissions. Created at start when missing; a user's edits are left alone.
/// </summary>
public static class BootstrapPolicy
{
    public static async Task EnsureAsync(ResourceOperations operations, ResourceRegistry registry)
    {
        var clusterRoles = registry.Find(RbacAuthorizer.Group, "v1", "clusterroles")!;
        var clusterRoleBindings = registry.Find(RbacAuthorizer.Group, "v1", "clusterrolebindings")!;
        (string Name, JsonArray Rules, string[] Groups)[] policy =
        [
            ("cluster-admin", [Resources(["*"], ["*"], ["*"]), Paths(["*"], ["*"])], [Authentication.UserInfo.MastersGroup]),
            ("system:basic-user",
                [
                    Resources(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
                    Resources(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
                ],
                [Authentication.UserInfo.AuthenticatedGroup]),
            ("system:discovery",
                [Paths(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], ["get"])],
                [Authentication.UserInfo.AuthenticatedGroup]),
            ("system:public-info-viewer",
                [Paths(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"])],
                [Authentication.UserInfo.AuthenticatedGroup, "system:unauthenticated"]),
        ];
        foreach (var (name, rules, groups) in policy)
        {
            if (operations.Store.Get(clusterRoles.StorageId, string.Empty, name) is null)
            {
                await operations.CreateAsync(clusterRoles, string.Empty, new JsonObject { ["metadata"] = Metadata(name), ["rules"] = rules }, new WriteOptions());
            }

            if (operations.Store.Get(clusterRoleBindings.StorageId, string.Empty, name) is null)
            {
                await operations.CreateAsync(clusterRoleBindings, string.Empty, new JsonObject
                {
                    ["metadata"] = Metadata(name),
                    ["roleRef"] = new JsonObject { ["apiGroup"] = RbacAuthorizer.Group, ["kind"] = "ClusterRole", ["name"] = name },
                    ["subjects"] = new JsonArray([.. groups.Select(group => (JsonNode)new JsonObject { ["apiGroup"] = RbacAuthorizer.Group, ["kind"] = "Group", ["name"] = group })]),
                }, new WriteOptions());
            }
        }
    }

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonObject Resources(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = Array(groups),
        ["resources"] = Array(resources),
        ["verbs"] = Array(verbs),
    };

    private static JsonObject Paths(string[] urls, string[] verbs) => new() { ["nonResourceURLs"] = Array(urls), ["verbs"] = Array(verbs) };

    private static JsonArray Array(string[] values) => [.. values.Select(value => (JsonNode?)value)];
}
