using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Authentication;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// RBAC on the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, read on every decision so a changed
/// binding takes effect at the next request, as in Kubernetes. ClusterRoles with an aggregationRule carry the rules
/// of every ClusterRole their selectors match. system:masters is allowed everything without a lookup (the
/// superuser short-cut a real API server has too), which keeps the admin token as fast as before.
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store)
{
    public const string Group = "rbac.authorization.k8s.io";
    public const string ClusterRoles = "clusterroles." + Group;
    public const string Roles = "roles." + Group;
    public const string ClusterRoleBindings = "clusterrolebindings." + Group;
    public const string RoleBindings = "rolebindings." + Group;

    public bool Allows(RequestAttributes request) =>
        request.User.Groups.Contains(UserInfo.MastersGroup) || RulesFor(request.User, request.Namespace).Any(rule => PolicyRules.Allows(rule, request));

    /// <summary>Throws the 403 a real API server answers when <see cref="Allows"/> says no.</summary>
    public void Demand(RequestAttributes request)
    {
        if (!Allows(request))
        {
            throw Forbidden(request);
        }
    }

    /// <summary>Every rule that applies to the user in the namespace (cluster-wide bindings plus the namespace's RoleBindings).</summary>
    public IEnumerable<JsonObject> RulesFor(UserInfo user, string @namespace)
    {
        foreach (var binding in store.List(ClusterRoleBindings, null, null).Items)
        {
            if (Binds(binding.Value, user, string.Empty))
            {
                foreach (var rule in ClusterRoleRules(Text(binding.Value["roleRef"], "name")))
                {
                    yield return rule;
                }
            }
        }

        if (@namespace.Length == 0)
        {
            yield break;
        }

        foreach (var binding in store.List(RoleBindings, @namespace, null).Items)
        {
            if (!Binds(binding.Value, user, @namespace))
            {
                continue;
            }

            var roleName = Text(binding.Value["roleRef"], "name");
            var rules = Text(binding.Value["roleRef"], "kind") == "ClusterRole"
                ? ClusterRoleRules(roleName)
                : RulesOf(store.Get(Roles, @namespace, roleName)?.Value);
            foreach (var rule in rules)
            {
                yield return rule;
            }
        }
    }

    public static ApiException Forbidden(RequestAttributes request)
    {
        var user = request.User.Name;
        if (!request.IsResourceRequest)
        {
            return new ApiException(403, "Forbidden", $"forbidden: User \"{user}\" cannot {request.Verb} path \"{request.Path}\"", new JsonObject());
        }

        var qualified = request.Group.Length == 0 ? request.Resource : request.Resource + "." + request.Group;
        var subject = request.Name.Length == 0 ? qualified : $"{qualified} \"{request.Name}\"";
        var scope = request.Namespace.Length == 0 ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var details = new JsonObject { ["group"] = request.Group, ["kind"] = request.Resource };
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        return new ApiException(403, "Forbidden",
            $"{subject} is forbidden: User \"{user}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.Group}\" {scope}", details);
    }

    private IEnumerable<JsonObject> ClusterRoleRules(string name)
    {
        var role = store.Get(ClusterRoles, string.Empty, name)?.Value;
        if (role?["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return RulesOf(role);
        }

        // Aggregated: what the ClusterRole aggregation controller would have written into .rules.
        var matched = store.List(ClusterRoles, null, candidate => candidate.Name != name && selectors.Any(selector => MatchLabels(selector, candidate.Value))).Items;
        return RulesOf(role).Concat(matched.SelectMany(candidate => RulesOf(candidate.Value)));
    }

    private static bool MatchLabels(JsonNode? selector, JsonObject candidate)
    {
        var labels = candidate["metadata"]?["labels"] as JsonObject;
        var wanted = selector?["matchLabels"] as JsonObject ?? [];
        return wanted.Count > 0 && wanted.All(pair => labels?[pair.Key]?.GetValue<string>() == pair.Value?.GetValue<string>());
    }

    private static IEnumerable<JsonObject> RulesOf(JsonObject? role) => (role?["rules"] as JsonArray ?? []).OfType<JsonObject>();

    private static bool Binds(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(subject, "name");
            var matches = Text(subject, "kind") switch
            {
                "User" => name == user.Name,
                "Group" => user.Groups.Contains(name),
                "ServiceAccount" => user.Name == UserInfo.ServiceAccountPrefix + (Text(subject, "namespace") is { Length: > 0 } ns ? ns : bindingNamespace) + ":" + name,
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static string Text(JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? string.Empty;
}
