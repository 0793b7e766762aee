using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;

namespace TensorFusion.LocalCluster.Http;

/// <summary>
/// OpenAPI v3 built from what is served. Each resource gets a schema tagged with x-kubernetes-group-version-kind
/// (the CRD schema for custom resources, so `kubectl explain` shows its descriptions; an open object for built-ins)
/// and a PATCH path that declares `fieldValidation`, which tells kubectl to validate on the server.
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var path in registry.All.Select(PathOf).Distinct().Order(StringComparer.Ordinal))
        {
            var document = ForGroupVersion(registry, path)!;
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for "api/v1" or "apis/{group}/{version}"; null when nothing is served there.</summary>
    public static JsonObject? ForGroupVersion(ResourceRegistry registry, string path)
    {
        var types = registry.All.Where(type => PathOf(type) == path).OrderBy(type => type.Plural, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var gvk = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
            var schema = type.Schema?.DeepClone().AsObject() ?? new JsonObject
            {
                ["type"] = "object",
                ["description"] = $"{type.Kind} is served by the embedded TensorFusion control plane (schema not published).",
                ["x-kubernetes-preserve-unknown-fields"] = true,
            };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            var name = SchemaName(type);
            schemas[name] = schema;
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
            var prefix = type.Namespaced ? $"/{path}/namespaces/{{namespace}}/{type.Plural}" : $"/{path}/{type.Plural}";
            paths[$"{prefix}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("read", type, gvk, reference, []),
                ["put"] = Operation("replace", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation("patch", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["delete"] = Operation("delete", type, gvk, reference, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
            paths[prefix] = new JsonObject
            {
                ["post"] = Operation("create", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation"]),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "TensorFusion local control plane", ["version"] = "v1.34.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static string PathOf(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static string SchemaName(ResourceType type)
    {
        if (type.Group.Length == 0)
        {
            return $"io.k8s.api.core.{type.Version}.{type.Kind}";
        }

        var reversed = string.Join('.', type.Group.Split('.').Reverse());
        return $"{reversed}.{type.Version}.{type.Kind}";
    }

    private static JsonObject Operation(string verb, ResourceType type, JsonObject gvk, JsonObject reference, string[] queryParameters) => new()
    {
        ["operationId"] = $"{verb}{type.Kind}",
        ["x-kubernetes-action"] = verb,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        ["parameters"] = new JsonArray([.. queryParameters.Select(name => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
        })]),
        ["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } },
            },
        },
    };
}
