using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Schema;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Checks shared by create and update: identity fields, names, and the CRD schema (validate, default, prune).</summary>
public static partial class ObjectPreparation
{
    /// <summary>Largest object the server stores (the scalability threshold of a real cluster).</summary>
    public const int MaxObjectBytes = 1_572_864;

    public static void CheckKind(ResourceType type, JsonObject body)
    {
        var kind = Meta.Text(body, "kind");
        var apiVersion = Meta.Text(body, "apiVersion");
        if (kind is not null && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind of the object ({kind}) does not match the resource's kind ({type.Kind})");
        }

        if (apiVersion is not null && apiVersion != type.ApiVersion && !(type.IsCustom && apiVersion.StartsWith(type.Group + "/", StringComparison.Ordinal)))
        {
            throw ApiException.BadRequest($"the apiVersion of the object ({apiVersion}) does not match the request ({type.ApiVersion})");
        }

        body["kind"] = type.Kind;
        body["apiVersion"] = apiVersion ?? type.ApiVersion;
        if (body["metadata"] is not (null or JsonObject))
        {
            throw ApiException.BadRequest("metadata: must be an object");
        }
    }

    public static void CheckName(ResourceType type, string name)
    {
        // RBAC objects are named like path segments (system:basic-user), as Kubernetes' ValidateRBACName allows.
        if (type.Group == "rbac.authorization.k8s.io")
        {
            if (name is "" or "." or ".." || name.IndexOfAny(['/', '%']) >= 0)
            {
                throw ApiException.Invalid(type.Kind, name, [("metadata.name", $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'")]);
            }

            return;
        }

        if (name.Length > 253 || !NamePattern().IsMatch(name))
        {
            throw ApiException.Invalid(type.Kind, name, [("metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")]);
        }
    }

    /// <summary>Validates a custom object against its schema; defaults and prunes in place; reports unknown fields per <paramref name="options"/>.</summary>
    public static void ApplySchema(ResourceType type, JsonObject value, WriteOptions options, JsonObject? old = null)
    {
        if (type.Schema is null)
        {
            return;
        }

        var result = StructuralSchema.Apply(value, type.Schema);
        if (old is not null)
        {
            ValidationRatcheting.DropUnchanged(result, value, old);
        }

        if (result.Errors.Count == 0)
        {
            // CEL rules see the defaulted, pruned object; on update `old` feeds oldSelf (transition rules, ratcheting).
            CelValidation.Apply(value, old, type.Schema, result);
        }

        if (result.UnknownFields.Count > 0)
        {
            var unknown = result.UnknownFields.Select(field => $"unknown field \"{field}\"").ToList();
            if (options.FieldValidation == FieldValidation.Strict)
            {
                throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown));
            }

            if (options.FieldValidation == FieldValidation.Warn)
            {
                options.Warnings.AddRange(unknown);
            }
        }

        if (result.Errors.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, Meta.Name(value) ?? string.Empty, result.Errors);
        }
    }

    public static void CheckSize(ResourceType type, string name, int bytes)
    {
        if (bytes > MaxObjectBytes)
        {
            throw new ApiException(422, "RequestEntityTooLarge", $"{type.Kind} \"{name}\" is too large: {bytes} bytes, the limit is {MaxObjectBytes} bytes");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NamePattern();
}
