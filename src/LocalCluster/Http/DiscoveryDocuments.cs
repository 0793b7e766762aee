using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Http;

/// <summary>The legacy (unaggregated) discovery documents kubectl and client libraries read: /version, /api, /apis, group versions.</summary>
public static class DiscoveryDocuments
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["gitVersion"] = "v1.34.0-tensorfusion-local",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.All.Where(type => type.Group.Length > 0).Select(type => type.Group).Distinct().Order(StringComparer.Ordinal)
            .Select(group => (JsonNode)Group(registry, group))]),
    };

    public static JsonObject Group(ResourceRegistry registry, string group)
    {
        var versions = registry.GroupVersions(group);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(version => (JsonNode)GroupVersion(group, version))]),
            ["preferredVersion"] = versions.Count > 0 ? GroupVersion(group, versions[0]) : null,
        };
    }

    /// <summary>The APIResourceList of one group version, or null when nothing is served there.</summary>
    public static JsonObject? Resources(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(type => type.Group == group && type.Version == version).OrderBy(type => type.Plural, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.IsReview ? ["create"] : Verbs),
                ["shortNames"] = type.ShortNames.Count > 0 ? Strings(type.ShortNames) : null,
                ["categories"] = type.Categories.Count > 0 ? Strings(type.Categories) : null,
                ["storageVersionHash"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(type.StorageId)))[..11],
            });
            if (type.HasStatus)
            {
                resources.Add(Subresource(type, "status", type.Kind, ["get", "patch", "update"]));
            }

            foreach (var extra in type.ExtraSubresources)
            {
                var subresource = Subresource(type, extra, extra switch { "eviction" => "Eviction", "token" => "TokenRequest", _ => "Binding" }, ["create"]);
                if (extra == "eviction")
                {
                    // kubectl drain looks for policy/v1 here before it evicts rather than deletes.
                    subresource["group"] = "policy";
                    subresource["version"] = "v1";
                }

                resources.Add(subresource);
            }

            if (type.HasScale)
            {
                // kubectl scale finds the Scale's group and version here.
                var scale = Subresource(type, "scale", "Scale", ["get", "patch", "update"]);
                scale["group"] = "autoscaling";
                scale["version"] = "v1";
                resources.Add(scale);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = types[0].GroupVersion,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType type, string name, string kind, string[] verbs) => new()
    {
        ["name"] = $"{type.Plural}/{name}",
        ["singularName"] = string.Empty,
        ["namespaced"] = type.Namespaced,
        ["kind"] = kind,
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject GroupVersion(string group, string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
}
