using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Patching;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Server-side apply: create when absent, otherwise merge with field ownership (<see cref="ServerSideApply"/>).</summary>
public sealed partial class ResourceOperations
{
    public async Task<StoredObject> ApplyAsync(ResourceType type, string @namespace, string name, JsonNode? patch, string? subresource, WriteOptions options)
    {
        if (patch is not JsonObject applied)
        {
            throw ApiException.BadRequest("the apply configuration must be an object");
        }

        var manager = options.FieldManager;
        if (string.IsNullOrEmpty(manager))
        {
            throw ApiException.Invalid("PatchOptions", string.Empty, [("fieldManager", "Required value: is required for apply patch")]);
        }

        if (Meta.Text(applied, "apiVersion") is null || Meta.Text(applied, "kind") is null)
        {
            throw ApiException.BadRequest("the apply configuration must set apiVersion and kind");
        }

        var appliedName = Meta.Name(applied);
        if (appliedName is not null && appliedName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }

        ObjectPreparation.CheckKind(type, applied);
        Meta.Of(applied)["name"] = name;
        if (subresource == "status")
        {
            // Ownership is not tracked for status: applying it merges like a merge patch.
            return await WriteExistingAsync(type, @namespace, name, subresource, options, existing =>
                JsonMergePatch.Apply(existing.Value.DeepClone().AsObject(), applied) as JsonObject ?? throw ApiException.BadRequest("the apply result is not an object"));
        }

        var now = Meta.Timestamp(time.GetUtcNow());
        // Create-or-merge can race with a concurrent create or delete; one retry settles it either way.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (store.Get(type.StorageId, @namespace, name) is null)
                {
                    return await CreateAsync(type, @namespace, ServerSideApply.Apply(null, applied, manager, options.Force, now), options);
                }

                return await WriteExistingAsync(type, @namespace, name, null, options, existing =>
                    ServerSideApply.Apply(existing.Value, applied, manager, options.Force, now));
            }
            catch (ApiException failure) when (attempt == 0 && failure.Reason is "AlreadyExists" or "NotFound")
            {
                // Try again against the state the other writer left.
            }
        }
    }
}
