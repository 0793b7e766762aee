using System.ComponentModel;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace TensorFusion.Api.Schema;

/// <summary>
/// Generates the apiextensions.k8s.io/v1 CustomResourceDefinitions of every kind from the C# types, plus the
/// kustomization that lists them. <c>tensorfusion crds --output deploy/crds</c> writes them; a test fails when the
/// committed files are stale.
/// </summary>
public static class CrdGenerator
{
    public const string Header = "# Generated from src/Api by `tensorfusion crds --output deploy/crds`. Do not edit by hand.\n";
    public const string KustomizationFileName = "kustomization.yaml";

    public static string FileName(ApiKind kind) => $"{kind.Plural}.{TensorFusionApi.Group}.yaml";

    /// <summary>The CRD of one kind as a JSON tree.</summary>
    public static JsonObject Generate(ApiKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var resource = kind.Type.GetCustomAttribute<CustomResourceAttribute>()!;
        var names = new JsonObject
        {
            ["kind"] = kind.Kind,
            ["listKind"] = kind.Kind + "List",
            ["plural"] = kind.Plural,
            ["singular"] = resource.Singular,
        };
        if (resource.ShortNames.Length > 0)
        {
            names["shortNames"] = new JsonArray(resource.ShortNames.Select(name => (JsonNode)name).ToArray());
        }

        names["categories"] = new JsonArray(resource.Categories.Select(name => (JsonNode)name).ToArray());

        var version = new JsonObject
        {
            ["name"] = TensorFusionApi.Version,
            ["served"] = true,
            ["storage"] = true,
        };
        var columns = PrinterColumns(kind.Type);
        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }

        version["schema"] = new JsonObject { ["openAPIV3Schema"] = RootSchema(kind) };
        if (kind.Type.GetProperty("Status") is not null)
        {
            version["subresources"] = new JsonObject { ["status"] = new JsonObject() };
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{kind.Plural}.{TensorFusionApi.Group}",
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "tensor-fusion" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = TensorFusionApi.Group,
                ["names"] = names,
                ["scope"] = resource.Scope.ToString(),
                ["versions"] = new JsonArray(version),
            },
        };
    }

    /// <summary>Every file of deploy/crds by name: one CRD per kind and the kustomization listing them.</summary>
    public static IReadOnlyDictionary<string, string> RenderFiles()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in ApiKinds.All)
        {
            files[FileName(kind)] = Header + YamlWriter.Write(Generate(kind));
        }

        var kustomization = new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["resources"] = new JsonArray(ApiKinds.All.Select(kind => (JsonNode)FileName(kind)).ToArray()),
        };
        files[KustomizationFileName] = Header + YamlWriter.Write(kustomization);
        return files;
    }

    /// <summary>All CRDs as one multi-document YAML stream (what <c>tensorfusion crds</c> prints).</summary>
    public static string RenderStream()
    {
        var output = new StringBuilder(Header);
        foreach (var kind in ApiKinds.All)
        {
            output.Append("---\n").Append(YamlWriter.Write(Generate(kind)));
        }

        return output.ToString();
    }

    /// <summary>Writes <see cref="RenderFiles"/> into <paramref name="directory"/>, creating it if needed.</summary>
    public static async Task<IReadOnlyList<string>> WriteDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, content) in RenderFiles())
        {
            var path = Path.Combine(directory, name);
            await File.WriteAllTextAsync(path, content, cancellationToken);
            written.Add(path);
        }

        return written;
    }

    private static JsonObject RootSchema(ApiKind kind)
    {
        var properties = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string", ["description"] = "Versioned schema of this representation of an object." },
            ["kind"] = new JsonObject { ["type"] = "string", ["description"] = "REST resource this object represents." },
            ["metadata"] = new JsonObject { ["type"] = "object" },
        };
        foreach (var part in new[] { "Spec", "Status" })
        {
            if (kind.Type.GetProperty(part) is { } property)
            {
                properties[part.ToLowerInvariant()] = CrdSchemaBuilder.ForType(property.PropertyType);
            }
        }

        var schema = new JsonObject { ["type"] = "object" };
        if (kind.Type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        schema["properties"] = properties;
        return schema;
    }

    private static JsonArray PrinterColumns(Type type)
    {
        var columns = new JsonArray();
        foreach (var column in type.GetCustomAttributes<PrinterColumnAttribute>().OrderBy(column => column.Order))
        {
            var entry = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Priority != 0)
            {
                entry["priority"] = column.Priority;
            }

            columns.Add(entry);
        }

        return columns;
    }
}
