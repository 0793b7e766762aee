using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Authorization;

/// <summary>
/// How one RBAC PolicyRule matches a request, as Kubernetes' rbac/v1 helpers define it: `*` in verbs, apiGroups and
/// resources; "pods/status" and "*/status" for subresources (a plain "pods" never covers a subresource);
/// resourceNames only for requests that name an object; nonResourceURLs exact or with a trailing `*`.
/// </summary>
public static class PolicyRules
{
    public static bool Allows(JsonObject rule, RequestAttributes request)
    {
        if (!Contains(rule["verbs"], request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return Strings(rule["nonResourceURLs"]).Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        if (!Contains(rule["apiGroups"], request.Group) || !ResourceMatches(rule["resources"], request))
        {
            return false;
        }

        var names = Strings(rule["resourceNames"]).ToList();
        return names.Count == 0 || (request.Name.Length > 0 && names.Contains(request.Name));
    }

    public static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(item => item?.GetValue<string>() ?? string.Empty);

    private static bool Contains(JsonNode? values, string wanted) => Strings(values).Any(value => value == "*" || value == wanted);

    private static bool ResourceMatches(JsonNode? resources, RequestAttributes request)
    {
        var combined = request.CombinedResource;
        foreach (var resource in Strings(resources))
        {
            if (resource == "*" || resource == combined)
            {
                return true;
            }

            if (request.Subresource.Length > 0 && resource == "*/" + request.Subresource)
            {
                return true;
            }
        }

        return false;
    }
}
