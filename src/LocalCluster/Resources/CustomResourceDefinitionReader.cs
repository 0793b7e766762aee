using System.Text.Json.Nodes;

namespace TensorFusion.LocalCluster.Resources;

/// <summary>Turns a CustomResourceDefinition object into the resource types it serves.</summary>
public static class CustomResourceDefinitionReader
{
    /// <summary>Reads the served versions; returns a field-path error message when the CRD is not usable.</summary>
    public static (IReadOnlyList<ResourceType> Types, string? Error) Read(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = spec?["group"]?.GetValue<string>();
        var names = spec?["names"] as JsonObject;
        var plural = Text(names, "plural");
        var kind = Text(names, "kind");
        if (string.IsNullOrEmpty(group))
        {
            return ([], "spec.group: Required value");
        }

        if (string.IsNullOrEmpty(plural) || string.IsNullOrEmpty(kind))
        {
            return ([], "spec.names.plural and spec.names.kind: Required value");
        }

        var expectedName = $"{plural}.{group}";
        var name = crd["metadata"]?["name"]?.GetValue<string>();
        if (name != expectedName)
        {
            return ([], $"metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group ({expectedName})");
        }

        var scope = Text(spec, "scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            return ([], $"spec.scope: Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"");
        }

        if (spec?["versions"] is not JsonArray { Count: > 0 } versions)
        {
            return ([], "spec.versions: Required value");
        }

        var types = new List<ResourceType>();
        for (var index = 0; index < versions.Count; index++)
        {
            if (versions[index] is not JsonObject version || string.IsNullOrEmpty(Text(version, "name")))
            {
                return ([], $"spec.versions[{index}].name: Required value");
            }

            // As a real server: a CEL rule that does not compile refuses the CRD, served or not, naming the rule's path.
            if (version["schema"]?["openAPIV3Schema"] is JsonObject schema &&
                Schema.CelRuleSet.Compile(schema, $"spec.versions[{index}].schema.openAPIV3Schema.").Errors is [var ruleError, ..])
            {
                return ([], ruleError);
            }

            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            types.Add(new ResourceType
            {
                Group = group,
                Version = Text(version, "name")!,
                Plural = plural,
                Kind = kind,
                Singular = Text(names, "singular") ?? kind.ToLowerInvariant(),
                Namespaced = scope == "Namespaced",
                ShortNames = Strings(names?["shortNames"]),
                Categories = Strings(names?["categories"]),
                HasStatus = version["subresources"]?["status"] is not null,
                Schema = version["schema"]?["openAPIV3Schema"] as JsonObject,
                PrinterColumns = Columns(version["additionalPrinterColumns"] as JsonArray),
                IsCustom = true,
            });
        }

        return (types, null);
    }

    private static string? Text(JsonObject? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.OfType<JsonValue>().Select(item => item.ToString())] : [];

    private static PrinterColumn[] Columns(JsonArray? columns) =>
        columns is null
            ? []
            : [.. columns.OfType<JsonObject>().Select(column => new PrinterColumn(
                Text(column, "name") ?? "?",
                Text(column, "type") ?? "string",
                Text(column, "jsonPath") ?? string.Empty,
                Text(column, "description") ?? string.Empty,
                (int)(Semantics.JsonText.WholeNumber(column["priority"]) ?? 0),
                Text(column, "format") ?? string.Empty))];
}
