using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Controllers;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>
/// Delete semantics: preconditions (uid, resourceVersion), finalizers and deletionTimestamp, propagation policies
/// (Foreground and Orphan become the `foregroundDeletion`/`orphan` finalizers the garbage collector works off),
/// graceful pod deletion on simulated nodes, namespaces that terminate before they go, and CRDs that take their
/// objects with them.
/// </summary>
public sealed partial class ResourceOperations
{
    /// <summary>Deletes or starts deleting; <c>Removed</c> says whether the object is gone already.</summary>
    public async Task<(StoredObject Value, bool Removed)> DeleteAsync(ResourceType type, string @namespace, string name, DeleteOptions options)
    {
        var result = await store.WriteAsync(transaction =>
        {
            var existing = transaction.Get(type.StorageId, @namespace, name) ?? throw ApiException.NotFound(Describe(type), name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != Meta.Uid(existing.Value))
            {
                throw ApiException.Conflict(Describe(type), name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(existing.Value)}");
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } version && version != existing.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(Describe(type), name, $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {existing.ResourceVersion}");
            }

            if (options.DryRun)
            {
                return (existing, false);
            }

            var finalizers = Meta.Finalizers(existing.Value);
            if (Meta.IsDeleting(existing.Value))
            {
                return options.GracePeriodSeconds == 0 && finalizers.Count == 0
                    ? (transaction.Delete(type.StorageId, @namespace, name)!, true)
                    : (existing, false);
            }

            var policy = options.PropagationPolicy ?? "Background";
            if (policy is not ("Background" or "Foreground" or "Orphan"))
            {
                throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
            }

            if (policy == "Foreground" && !finalizers.Contains(GarbageCollector.ForegroundFinalizer))
            {
                finalizers.Add(GarbageCollector.ForegroundFinalizer);
            }
            else if (policy == "Orphan" && !finalizers.Contains(GarbageCollector.OrphanFinalizer))
            {
                finalizers.Add(GarbageCollector.OrphanFinalizer);
            }

            var grace = GracePeriod(transaction, type, existing.Value, options);
            if (finalizers.Count == 0 && grace == 0 && type.StorageId != "namespaces")
            {
                return (transaction.Delete(type.StorageId, @namespace, name)!, true);
            }

            var next = existing.Value.DeepClone().AsObject();
            var metadata = Meta.Of(next);
            metadata["deletionTimestamp"] = Meta.Timestamp(time.GetUtcNow().AddSeconds(grace));
            metadata["deletionGracePeriodSeconds"] = grace;
            Meta.SetFinalizers(next, finalizers);
            if (type.StorageId == "namespaces")
            {
                next["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            return (transaction.Put(type.StorageId, @namespace, name, next), false);
        });
        if (result.Item2 && type.StorageId == CrdStorageId)
        {
            await RemoveCustomResourceAsync(name);
        }

        return result;
    }

    public async Task<List<StoredObject>> DeleteCollectionAsync(ResourceType type, string? @namespace, Func<StoredObject, bool> predicate, DeleteOptions options)
    {
        var (items, _, _) = store.List(type.StorageId, @namespace, predicate);
        var deleted = new List<StoredObject>();
        foreach (var item in items)
        {
            try
            {
                deleted.Add((await DeleteAsync(type, item.Namespace, item.Name, options)).Value);
            }
            catch (ApiException notFound) when (notFound.Code == 404)
            {
                // Deleted meanwhile by someone else: the collection delete still succeeds.
            }
        }

        return deleted;
    }

    /// <summary>Stops serving a deleted CRD and removes every object it served.</summary>
    private async Task RemoveCustomResourceAsync(string crdName)
    {
        var served = registry.StopServing(crdName);
        if (served.Count == 0)
        {
            return;
        }

        var storageId = served[0].StorageId;
        var (items, _, _) = store.List(storageId, null, null);
        await store.WriteAsync(transaction =>
        {
            items.ForEach(item => transaction.Delete(storageId, item.Namespace, item.Name));
            return items.Count;
        });
    }

    /// <summary>Pods on a simulated node wait for its kubelet stand-in; every other object has no grace period.</summary>
    private static long GracePeriod(StoreTransaction transaction, ResourceType type, JsonObject value, DeleteOptions options)
    {
        if (!AwaitsKubelet(transaction, type, value))
        {
            return 0;
        }

        return Math.Max(0, options.GracePeriodSeconds ?? JsonText.WholeNumber(value["spec"]?["terminationGracePeriodSeconds"]) ?? 30);
    }

    private static bool AwaitsKubelet(StoreTransaction transaction, ResourceType type, JsonObject value)
    {
        if (type.StorageId != "pods" || Meta.Text(value["spec"], "nodeName") is not { Length: > 0 } nodeName)
        {
            return false;
        }

        var node = transaction.Get("nodes", string.Empty, nodeName);
        return node is not null && SimulatedKubelet.IsSimulated(node.Value) && value["status"]?["phase"]?.ToString() is not ("Succeeded" or "Failed");
    }
}
