using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Admission;

/// <summary>
/// A webhook's <c>rules</c>: operations, apiGroups, apiVersions, resources (<c>*</c> and <c>pods/*</c> forms; a
/// subresource is never the object itself) and scope (<c>Cluster</c>, <c>Namespaced</c>, <c>*</c>).
/// </summary>
internal static class WebhookRules
{
    public static bool Match(JsonArray? rules, string operation, ResourceType type) =>
        (rules ?? []).OfType<JsonObject>().Any(rule =>
            Contains(rule["operations"], operation)
            && Contains(rule["apiGroups"], type.Group)
            && Contains(rule["apiVersions"], type.Version)
            && Contains(rule["resources"], type.Plural)
            && ScopeMatches(rule["scope"]?.GetValue<string>(), type));

    /// <summary>A rule list (operations, apiGroups, apiVersions) names the value or <c>*</c>.</summary>
    internal static bool Contains(JsonNode? list, string value) =>
        (list as JsonArray ?? []).Select(item => item?.GetValue<string>()).Any(item => item == "*" || item == value);

    private static bool ScopeMatches(string? scope, ResourceType type) => scope switch
    {
        "Cluster" => !type.Namespaced,
        "Namespaced" => type.Namespaced,
        _ => true,
    };
}
