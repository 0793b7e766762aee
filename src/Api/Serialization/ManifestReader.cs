using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.Api.Validation;

namespace TensorFusion.Api.Serialization;

/// <summary>
/// Reads multi-document YAML or JSON text into typed tensor-fusion.ai/v1 objects by apiVersion and kind. Also reads
/// <c>v1 List</c> and <c>XxxList</c> documents. Every error names the document (1-based), the line when known and
/// the field path; reading continues with the next document so that one run reports every problem.
/// </summary>
public static class ManifestReader
{
    public static ManifestReadResult Read(string text, string source = "<input>", ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= ManifestReadOptions.Default;
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        var (documents, syntaxError) = YamlJsonReader.ReadDocuments(text);
        foreach (var document in documents)
        {
            ReadDocument(document, source, options, objects, errors);
        }

        if (syntaxError is { } failure)
        {
            errors.Add(new ManifestError(source, failure.DocumentIndex, failure.Error.Line, string.Empty, failure.Error.Message));
        }

        return new ManifestReadResult(objects, errors);
    }

    public static async Task<ManifestReadResult> ReadFileAsync(string path, ManifestReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Read(text, path, options);
    }

    /// <summary>Every object in <paramref name="text"/>, or a <see cref="ManifestException"/> listing every error.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ReadAll(string text, string source = "<input>") =>
        Read(text, source).GetObjectsOrThrow();

    /// <summary>Every object, all of kind <typeparamref name="T"/>; another kind is an error naming its document.</summary>
    public static IReadOnlyList<T> ReadAll<T>(string text, string source = "<input>")
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var result = Read(text, source);
        var errors = result.Errors.ToList();
        var kind = ApiKinds.Of(typeof(T)).Kind;
        errors.AddRange(result.Objects
            .Where(entry => entry.Resource is not T)
            .Select(entry => new ManifestError(source, entry.DocumentIndex, entry.Line, "kind", $"expected {kind}, got {entry.Resource.Kind}")));
        return errors.Count > 0 ? throw new ManifestException(errors) : result.Objects.Select(entry => (T)entry.Resource).ToList();
    }

    /// <summary>Exactly one object of kind <typeparamref name="T"/>.</summary>
    public static T ReadSingle<T>(string text, string source = "<input>")
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var all = ReadAll<T>(text, source);
        return all.Count == 1
            ? all[0]
            : throw new ManifestException([new ManifestError(source, 1, null, string.Empty, $"expected exactly one {ApiKinds.Of(typeof(T)).Kind}, found {all.Count}")]);
    }

    private static void ReadDocument(YamlDocumentTree document, string source, ManifestReadOptions options, List<ManifestObject> objects, List<ManifestError> errors)
    {
        void Fail(string path, string message) =>
            errors.Add(new ManifestError(source, document.Index, document.LineOf(path) ?? document.StartLine, path, message));

        switch (document.Root)
        {
            case null:
                return;
            case not JsonObject:
                Fail(string.Empty, $"expected an object with apiVersion and kind, got {JsonTokenNames.Describe(document.Root)}");
                return;
        }

        var root = (JsonObject)document.Root;
        if (!TryGetTypeFields(root, Fail, string.Empty, out var apiVersion, out var kind))
        {
            return;
        }

        if ((apiVersion == "v1" && kind == "List") || ApiKinds.FindList(apiVersion, kind) is not null)
        {
            if (root["items"] is not JsonArray items)
            {
                Fail("items", "a list needs an items array");
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var prefix = FieldPath.Index("items", i);
                if (items[i] is not JsonObject item)
                {
                    Fail(prefix, $"expected an object, got {JsonTokenNames.Describe(items[i])}");
                }
                else if (TryGetTypeFields(item, Fail, prefix, out var itemVersion, out var itemKind))
                {
                    ReadObject(item, itemVersion, itemKind, prefix, document, options, objects, Fail);
                }
            }

            return;
        }

        ReadObject(root, apiVersion, kind, string.Empty, document, options, objects, Fail);
    }

    private static void ReadObject(
        JsonObject node, string apiVersion, string kind, string prefix, YamlDocumentTree document, ManifestReadOptions options,
        List<ManifestObject> objects, Action<string, string> fail)
    {
        var apiKind = ApiKinds.Find(apiVersion, kind);
        if (apiKind is null)
        {
            var ours = apiVersion.StartsWith(TensorFusionApi.Group + "/", StringComparison.Ordinal);
            if (options.IgnoreForeignKinds && !ours)
            {
                return;
            }

            var supported = string.Join(", ", ApiKinds.All.Select(candidate => candidate.Kind));
            fail(FieldPath.Combine(prefix, ours && apiVersion != TensorFusionApi.ApiVersion ? "apiVersion" : "kind"),
                $"unsupported {apiVersion} {kind}; supported: {TensorFusionApi.ApiVersion} {supported}");
            return;
        }

        IKubernetesObject<V1ObjectMeta> typed;
        try
        {
            typed = (IKubernetesObject<V1ObjectMeta>)(node.Deserialize(apiKind.Type, TensorFusionJson.StrictOptions)
                ?? throw new JsonException("empty document"));
        }
        catch (JsonException exception)
        {
            var (path, message) = JsonErrorDescriber.Describe(exception, apiKind.Type, node);
            fail(FieldPath.Combine(prefix, path), message);
            return;
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            // Embedded Kubernetes types (IntOrString in a pod template, …) throw without a path.
            fail(prefix, $"invalid value: {exception.Message}");
            return;
        }

        if (options.Validate)
        {
            var problems = ManifestValidator.Validate(typed);
            foreach (var problem in problems)
            {
                fail(FieldPath.Combine(prefix, problem.Path), problem.Message);
            }

            if (problems.Count > 0)
            {
                return;
            }
        }

        objects.Add(new ManifestObject(document.Index, document.LineOf(prefix) ?? document.StartLine, typed));
    }

    private static bool TryGetTypeFields(JsonObject node, Action<string, string> fail, string prefix, out string apiVersion, out string kind)
    {
        apiVersion = RequiredString(node, "apiVersion", prefix, fail) ?? string.Empty;
        kind = RequiredString(node, "kind", prefix, fail) ?? string.Empty;
        return apiVersion.Length > 0 && kind.Length > 0;
    }

    private static string? RequiredString(JsonObject node, string name, string prefix, Action<string, string> fail)
    {
        var path = FieldPath.Combine(prefix, name);
        switch (node[name])
        {
            case null:
                fail(path, "required");
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            default:
                fail(path, $"expected a string, got {JsonTokenNames.Describe(node[name])}");
                return null;
        }
    }
}
