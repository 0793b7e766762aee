using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// Namespace deletion: a terminating namespace has every object in it deleted (finalizers are honoured), and is
/// removed once nothing is left in it.
/// </summary>
public sealed class NamespaceController(ResourceOperations operations, ResourceRegistry registry)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (subscription, _) = operations.Store.Subscribe(null, null, initialState: false, change =>
            change.Type == WatchEventType.Deleted ? change.Current!.Namespace.Length > 0 : change.Current!.StorageId == "namespaces");
        using (subscription)
        {
            foreach (var stored in operations.Store.List("namespaces", null, item => Meta.IsDeleting(item.Value)).Items)
            {
                await CleanAsync(stored.Name);
            }

            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                var stored = change.Current!;
                if (stored.StorageId == "namespaces" && change.Type != WatchEventType.Deleted && Meta.IsDeleting(stored.Value))
                {
                    await CleanAsync(stored.Name);
                }
                else if (change.Type == WatchEventType.Deleted && stored.Namespace.Length > 0 &&
                         operations.Store.Get("namespaces", string.Empty, stored.Namespace) is { } owner && Meta.IsDeleting(owner.Value))
                {
                    await FinalizeIfEmptyAsync(stored.Namespace);
                }
            }
        }
    }

    private async Task CleanAsync(string @namespace)
    {
        foreach (var type in NamespacedTypes())
        {
            foreach (var item in operations.Store.List(type.StorageId, @namespace, item => !Meta.IsDeleting(item.Value)).Items)
            {
                try
                {
                    await operations.DeleteAsync(type, @namespace, item.Name, new DeleteOptions(PropagationPolicy: "Background"));
                }
                catch (ApiException gone) when (gone.Code is 404 or 409)
                {
                    // Already gone or changed: the namespace is re-checked on the next event.
                }
            }
        }

        await FinalizeIfEmptyAsync(@namespace);
    }

    private async Task FinalizeIfEmptyAsync(string @namespace)
    {
        if (NamespacedTypes().Any(type => operations.Store.List(type.StorageId, @namespace, null, limit: 1).Items.Count > 0))
        {
            return;
        }

        await operations.Store.WriteAsync(transaction =>
            transaction.Get("namespaces", string.Empty, @namespace) is { } current && Meta.IsDeleting(current.Value)
                ? transaction.Delete("namespaces", string.Empty, @namespace)
                : null);
    }

    private IEnumerable<ResourceType> NamespacedTypes() =>
        registry.All.Where(type => type.Namespaced).DistinctBy(type => type.StorageId);
}
