using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// ownerReferences garbage collection. Background: once an owner is gone its dependents are deleted. Foreground: the
/// owner waits (finalizer `foregroundDeletion`) until its dependents are gone. Orphan: the owner's references are
/// removed from its dependents, then the owner goes. Keeps an owner-uid index fed by the store's event feed.
/// </summary>
public sealed class GarbageCollector(ResourceOperations operations, ResourceRegistry registry)
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private readonly Dictionary<string, HashSet<ObjectRef>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectRef> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectRef, List<string>> _ownersOf = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (subscription, _) = operations.Store.Subscribe(null, null, initialState: false, Concerns);
        using (subscription)
        {
            foreach (var stored in operations.Store.All())
            {
                Index(stored, present: true);
            }

            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                await HandleAsync(change);
            }
        }
    }

    private async Task HandleAsync(WatchEvent change)
    {
        var stored = change.Current!;
        var removed = change.Type == WatchEventType.Deleted;
        Index(stored, present: !removed);
        var uid = Meta.Uid(stored.Value) ?? string.Empty;
        if (removed)
        {
            foreach (var dependent in Dependents(uid))
            {
                await IgnoreGoneAsync(() => DeleteAsync(dependent));
            }

            foreach (var owner in OwnerUids(stored.Value))
            {
                await FinishForegroundAsync(owner);
            }

            return;
        }

        var finalizers = Meta.Finalizers(stored.Value);
        if (!Meta.IsDeleting(stored.Value))
        {
            return;
        }

        if (finalizers.Contains(OrphanFinalizer))
        {
            foreach (var dependent in Dependents(uid))
            {
                await IgnoreGoneAsync(() => operations.RemoveOwnerReferenceAsync(Type(dependent), dependent.Namespace, dependent.Name, uid));
            }

            await IgnoreGoneAsync(() => operations.RemoveFinalizerAsync(Type(stored), stored.Namespace, stored.Name, OrphanFinalizer));
        }

        if (finalizers.Contains(ForegroundFinalizer))
        {
            foreach (var dependent in Dependents(uid))
            {
                await IgnoreGoneAsync(() => DeleteAsync(dependent));
            }

            await FinishForegroundAsync(uid);
        }
    }

    private async Task FinishForegroundAsync(string ownerUid)
    {
        if (!_byUid.TryGetValue(ownerUid, out var owner) || Dependents(ownerUid).Count > 0)
        {
            return;
        }

        var current = operations.Store.Get(owner.StorageId, owner.Namespace, owner.Name);
        if (current is not null && Meta.IsDeleting(current.Value) && Meta.Finalizers(current.Value).Contains(ForegroundFinalizer))
        {
            await IgnoreGoneAsync(() => operations.RemoveFinalizerAsync(Type(owner), owner.Namespace, owner.Name, ForegroundFinalizer));
        }
    }

    private Task<(StoredObject Value, bool Removed)> DeleteAsync(ObjectRef target) =>
        operations.DeleteAsync(Type(target), target.Namespace, target.Name, new DeleteOptions(PropagationPolicy: "Background"));

    private ResourceType Type(ObjectRef target) =>
        registry.FindByStorageId(target.StorageId) ?? throw ApiException.NotFound(target.StorageId, target.Name);

    private ResourceType Type(StoredObject target) => Type(new ObjectRef(target.StorageId, target.Namespace, target.Name));

    private List<ObjectRef> Dependents(string uid) => _dependents.TryGetValue(uid, out var set) ? [.. set] : [];

    private void Index(StoredObject stored, bool present)
    {
        var reference = new ObjectRef(stored.StorageId, stored.Namespace, stored.Name);
        var uid = Meta.Uid(stored.Value);
        if (uid is not null)
        {
            if (present)
            {
                _byUid[uid] = reference;
            }
            else
            {
                _byUid.Remove(uid);
            }
        }

        if (_ownersOf.Remove(reference, out var previousOwners))
        {
            foreach (var owner in previousOwners)
            {
                _dependents.GetValueOrDefault(owner)?.Remove(reference);
            }
        }

        var owners = OwnerUids(stored.Value).ToList();
        if (!present || owners.Count == 0)
        {
            return;
        }

        _ownersOf[reference] = owners;
        foreach (var owner in owners)
        {
            if (!_dependents.TryGetValue(owner, out var set))
            {
                set = [];
                _dependents[owner] = set;
            }

            set.Add(reference);
        }
    }

    /// <summary>
    /// The events that can start or finish a collection: deletions, objects being deleted, and objects that have (or had)
    /// owners. An owner matters only once it is deleting, so plain creates and updates never reach this controller.
    /// </summary>
    private static bool Concerns(WatchEvent change) =>
        change.Type == WatchEventType.Deleted || Meta.IsDeleting(change.Current!.Value) ||
        HasOwners(change.Current.Value) || (change.Previous is { } previous && HasOwners(previous.Value));

    private static bool HasOwners(JsonObject value) => value["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 };

    private static IEnumerable<string> OwnerUids(JsonObject value) =>
        value["metadata"]?["ownerReferences"] is JsonArray owners
            ? owners.Select(owner => Meta.Text(owner, "uid")).OfType<string>()
            : [];

    private static async Task IgnoreGoneAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ApiException failure) when (failure.Code is 404 or 409)
        {
            // The object went away or changed under us; the next event brings us back if anything is left to do.
        }
    }
}
