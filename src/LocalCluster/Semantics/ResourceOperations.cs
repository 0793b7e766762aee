using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Patching;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// Create, update and patch with API-server semantics: uid/creationTimestamp/generation, optimistic concurrency on
/// resourceVersion (409), AlreadyExists, the status subresource split, schema validation and defaulting for custom
/// resources, no-op updates that keep the resourceVersion, and removal once a deleting object loses its last finalizer.
/// </summary>
public sealed partial class ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time)
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public ObjectStore Store => store;

    public async Task<StoredObject> CreateAsync(ResourceType type, string @namespace, JsonObject body, WriteOptions options)
    {
        ObjectPreparation.CheckKind(type, body);
        var metadata = Meta.Of(body);
        var name = Meta.Text(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = Meta.Text(metadata, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type.Kind, string.Empty, [("metadata.name", "Required value: name or generateName is required")]);
            }

            name = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[Random.Shared.Next(SuffixAlphabet.Length)]));
            metadata["name"] = name;
        }

        ObjectPreparation.CheckName(type, name);
        ScopeNamespace(type, @namespace, metadata);
        body = await AdmitCreateAsync(type, @namespace, body, options);
        metadata = Meta.Of(body);
        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "uid", "creationTimestamp", "generation" })
        {
            metadata.Remove(field);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Meta.Timestamp(time.GetUtcNow());
        metadata["generation"] = 1;
        // Custom resources and the schema-checked built-ins (resource claims) are born without status, as on a real server.
        if (type.HasStatus && (type.IsCustom || type.Schema is not null))
        {
            body.Remove("status");
        }

        ObjectPreparation.ApplySchema(type, body, options);
        KindRules.OnCreate(type, body);
        Policies?.Admit(type, "CREATE", null, @namespace, body, null, options);
        var stored = await store.WriteAsync(transaction =>
        {
            CheckNamespaceAcceptsContent(transaction, type, @namespace);
            if (transaction.Get(type.StorageId, @namespace, name) is not null)
            {
                throw ApiException.AlreadyExists(Describe(type), name);
            }

            return options.DryRun ? Unstored(type, @namespace, name, body) : transaction.Put(type.StorageId, @namespace, name, body);
        });
        if (!options.DryRun && type.StorageId == CrdStorageId)
        {
            registry.ServeCustomResource(name, KindRules.MarkEstablished(stored.Value.DeepClone().AsObject()));
        }

        return stored;
    }

    public Task<StoredObject> UpdateAsync(ResourceType type, string @namespace, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        var bodyName = Meta.Name(body);
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        return WriteExistingAsync(type, @namespace, name, subresource, options, _ => body);
    }

    public Task<StoredObject> PatchAsync(
        ResourceType type, string @namespace, string name, string contentType, JsonNode? patch, string? subresource, WriteOptions options)
    {
        if (contentType.StartsWith("application/apply-patch+yaml", StringComparison.OrdinalIgnoreCase))
        {
            return ApplyAsync(type, @namespace, name, patch, subresource, options);
        }

        Func<JsonObject, JsonNode?> apply = contentType switch
        {
            _ when contentType.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase) => current => JsonPatch.Apply(current, patch),
            _ when contentType.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase) => current => JsonMergePatch.Apply(current, patch),
            _ when contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase) && !type.IsCustom =>
                current => StrategicMergePatch.Apply(current, patch),
            _ => throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(type.IsCustom ? string.Empty : ", application/strategic-merge-patch+json")} (got {contentType})"),
        };
        return WriteExistingAsync(type, @namespace, name, subresource, options, existing =>
            apply(existing.Value.DeepClone().AsObject()) as JsonObject ?? throw ApiException.BadRequest("the patch result is not an object"));
    }

    private async Task<StoredObject> WriteExistingAsync(
        ResourceType type, string @namespace, string name, string? subresource, WriteOptions options, Func<StoredObject, JsonObject> propose)
    {
        var stored = await store.WriteAsync(transaction =>
        {
            var existing = transaction.Get(type.StorageId, @namespace, name) ?? throw ApiException.NotFound(Describe(type), name);
            var next = Merge(type, existing, propose(existing), subresource, options);
            if (next is null)
            {
                return existing;
            }

            Policies?.Admit(type, "UPDATE", subresource, @namespace, next, existing.Value, options);

            if (options.DryRun)
            {
                return Unstored(type, @namespace, name, next);
            }

            return Meta.IsDeleting(next) && Meta.Finalizers(next).Count == 0 && !AwaitsKubelet(transaction, type, next)
                ? transaction.Delete(type.StorageId, @namespace, name)!
                : transaction.Put(type.StorageId, @namespace, name, next);
        });
        if (!options.DryRun && type.StorageId == CrdStorageId && store.Get(type.StorageId, @namespace, name) is { } crd)
        {
            registry.ServeCustomResource(name, KindRules.MarkEstablished(crd.Value.DeepClone().AsObject()));
        }

        return stored;
    }

    /// <summary>The object to store, or null when the write changes nothing (the resourceVersion then stays).</summary>
    private static JsonObject? Merge(ResourceType type, StoredObject existing, JsonObject proposed, string? subresource, WriteOptions options)
    {
        var proposedVersion = Meta.Text(proposed["metadata"], "resourceVersion");
        var currentVersion = Meta.Text(existing.Value["metadata"], "resourceVersion");
        if (!string.IsNullOrEmpty(proposedVersion) && proposedVersion != currentVersion)
        {
            throw ApiException.Conflict(Describe(type), existing.Name,
                "the object has been modified; please apply your changes to the latest version and try again");
        }

        JsonObject next;
        if (subresource == "status")
        {
            next = existing.Value.DeepClone().AsObject();
            next.Remove("status");
            if (proposed["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }

            // A status write is validated (and defaulted) against the same schema as the rest of the object.
            ObjectPreparation.ApplySchema(type, next, options, existing.Value);
        }
        else
        {
            next = proposed.Parent is null ? proposed : proposed.DeepClone().AsObject();
            ObjectPreparation.CheckKind(type, next);
            if (type.HasStatus)
            {
                next.Remove("status");
                if (existing.Value["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
            }

            var metadata = Meta.Of(next);
            var old = (JsonObject)existing.Value["metadata"]!;
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                metadata.Remove(field);
                if (old[field] is { } value)
                {
                    metadata[field] = value.DeepClone();
                }
            }

            // A write that does not mention managedFields keeps them (as on a real server); one that sends them replaces them.
            if (!metadata.ContainsKey("managedFields") && old["managedFields"] is { } managedFields)
            {
                metadata["managedFields"] = managedFields.DeepClone();
            }

            ObjectPreparation.ApplySchema(type, next, options, existing.Value);
            KindRules.Validate(type, next);
            if (type.StorageId == Certificates.CertificateSigningRequests.StorageId)
            {
                Certificates.CertificateSigningRequests.ThrowIfSpecChanged(existing.Value, next);
            }

            if (type.StorageId == CrdStorageId)
            {
                KindRules.MarkEstablished(next);
            }

            if (!Meta.SpecEquals(existing.Value, next))
            {
                metadata["generation"] = (JsonText.WholeNumber(old["generation"]) ?? 1) + 1;
            }
        }

        Meta.Of(next)["resourceVersion"] = currentVersion;
        return JsonNode.DeepEquals(next, existing.Value) ? null : next;
    }

    private static void ScopeNamespace(ResourceType type, string @namespace, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var declared = Meta.Text(metadata, "namespace");
        if (!string.IsNullOrEmpty(declared) && declared != @namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = @namespace;
    }

    private static void CheckNamespaceAcceptsContent(StoreTransaction transaction, ResourceType type, string @namespace)
    {
        if (!type.Namespaced)
        {
            return;
        }

        var owner = transaction.Get("namespaces", string.Empty, @namespace) ?? throw ApiException.NotFound("namespaces", @namespace);
        if (Meta.IsDeleting(owner.Value))
        {
            throw new ApiException(403, "Forbidden",
                $"{type.Plural} is forbidden: unable to create new content in namespace {@namespace} because it is being terminated");
        }
    }

    private static StoredObject Unstored(ResourceType type, string @namespace, string name, JsonObject value) =>
        new(type.StorageId, @namespace, name, 0, value, JsonText.Encode(value));

    internal static string Describe(ResourceType type) => type.Group.Length == 0 ? type.Plural : $"{type.Plural}.{type.Group}";

    internal const string CrdStorageId = "customresourcedefinitions.apiextensions.k8s.io";
}
