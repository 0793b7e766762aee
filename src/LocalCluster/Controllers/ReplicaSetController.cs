using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// Keeps spec.replicas pods of a ReplicaSet's template alive: creates the missing ones (through admission, so webhooks
/// see each replica), deletes the extra ones (unscheduled, then not ready, then newest first), and reports replicas,
/// ready and available counts. A pod it cannot create (a webhook refused it, say) is named in the ReplicaFailure
/// condition and a FailedCreate event, and retried by <see cref="ReplicaControllers"/>.
/// </summary>
public sealed class ReplicaSetController(ResourceOperations operations, ResourceRegistry registry, TimeProvider time)
{
    public const string StorageId = "replicasets.apps";

    /// <returns>False when a pod could not be created (retry later).</returns>
    public async Task<bool> ReconcileAsync(string @namespace, string name)
    {
        var replicaSet = operations.Store.Get(StorageId, @namespace, name);
        if (replicaSet is null || Meta.IsDeleting(replicaSet.Value))
        {
            return true;
        }

        var uid = Meta.Uid(replicaSet.Value) ?? string.Empty;
        var desired = (int)(JsonText.WholeNumber(replicaSet.Value["spec"]?["replicas"]) ?? 1);
        var active = OwnedPods.Controlled(operations.Store, "pods", @namespace, uid).Where(pod => OwnedPods.IsActive(pod.Value)).ToList();
        var failure = await ReplicaPods.CreateAsync(operations, registry, replicaSet, "apps/v1", "ReplicaSet", replicaSet.Value["spec"]?["template"], desired - active.Count);
        foreach (var extra in OwnedPods.ScaleDownOrder(active).Take(active.Count - desired))
        {
            await ReplicaPods.DeleteAsync(operations, registry, extra);
        }

        var current = operations.Store.Get(StorageId, @namespace, name) ?? replicaSet;
        var pods = OwnedPods.Controlled(operations.Store, "pods", @namespace, uid).Where(pod => OwnedPods.IsActive(pod.Value)).ToList();
        var ready = pods.Count(pod => OwnedPods.IsReady(pod.Value));
        var status = new JsonObject
        {
            ["replicas"] = pods.Count,
            ["fullyLabeledReplicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["observedGeneration"] = JsonText.WholeNumber(current.Value["metadata"]?["generation"]) ?? 1,
        };
        await ReplicaPods.ReportFailureAsync(operations, registry, current, "ReplicaSet", status, failure, Meta.Timestamp(time.GetUtcNow()));
        await OwnedPods.WriteStatusIfChangedAsync(operations, registry.Find("apps", "v1", "replicasets")!, current, status);
        return failure is null;
    }
}
