using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// A kube-scheduler stand-in for pods that ask for the default scheduler (no <c>schedulerName</c>, or
/// <c>default-scheduler</c>): each is bound to the simulated node with the fewest pods among those matching its
/// <c>nodeSelector</c>; with none matching it stays Pending. Pods for other schedulers (our
/// <c>tensor-fusion-scheduler</c>) are left alone. Local mode only (<see cref="LocalApiServerOptions.RunDefaultScheduler"/>):
/// without it, client pods of remote-vGPU workloads would never start.
/// </summary>
public sealed class DefaultScheduler(ResourceOperations operations)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (subscription, _) = operations.Store.Subscribe("pods", null, initialState: true,
            change => change.Type != WatchEventType.Deleted && IsUnscheduled(change.Current!.Value));
        using (subscription)
        {
            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await BindAsync(change.Current!);
                }
                catch (ApiException)
                {
                    // Bound or deleted meanwhile: nothing to do.
                }
            }
        }
    }

    private static bool IsUnscheduled(JsonObject pod) =>
        Meta.Text(pod["spec"], "schedulerName") is null or "default-scheduler"
        && string.IsNullOrEmpty(Meta.Text(pod["spec"], "nodeName"))
        && !Meta.IsDeleting(pod);

    private Task<StoredObject?> BindAsync(StoredObject pod) => operations.Store.WriteAsync(transaction =>
    {
        var current = transaction.Get("pods", pod.Namespace, pod.Name);
        if (current is null || !IsUnscheduled(current.Value))
        {
            return current;
        }

        var selector = Meta.StringMap(current.Value["spec"]?["nodeSelector"]);
        var load = operations.Store.List("pods", null, null).Items
            .Select(item => Meta.Text(item.Value["spec"], "nodeName"))
            .Where(node => node is not null)
            .GroupBy(node => node!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var node = operations.Store.List("nodes", null, item => SimulatedKubelet.IsSimulated(item.Value)).Items
            .Where(item => selector.All(pair => Meta.Labels(item.Value).GetValueOrDefault(pair.Key) == pair.Value))
            .OrderBy(item => load.GetValueOrDefault(item.Name))
            .ThenBy(item => item.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (node is null)
        {
            return current;
        }

        var next = current.Value.DeepClone().AsObject();
        next["spec"]!["nodeName"] = node.Name;
        return transaction.Put("pods", pod.Namespace, pod.Name, next);
    });
}
