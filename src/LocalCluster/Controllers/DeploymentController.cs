using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// A Deployment owns one ReplicaSet per pod template (named after the template's hash, label pod-template-hash): the
/// current template's ReplicaSet gets spec.replicas, every older one is scaled to 0 (a rollout replaces all pods at
/// once, like strategy Recreate; maxSurge/maxUnavailable are not simulated). Status sums the ReplicaSets'.
/// Deleting the Deployment deletes its ReplicaSets and their pods through the garbage collector.
/// </summary>
public sealed class DeploymentController(ResourceOperations operations, ResourceRegistry registry)
{
    public const string StorageId = "deployments.apps";
    public const string TemplateHashLabel = "pod-template-hash";

    public async Task ReconcileAsync(string @namespace, string name)
    {
        var deployment = operations.Store.Get(StorageId, @namespace, name);
        if (deployment is null || Meta.IsDeleting(deployment.Value))
        {
            return;
        }

        var replicaSets = registry.Find("apps", "v1", "replicasets")!;
        var uid = Meta.Uid(deployment.Value) ?? string.Empty;
        var spec = deployment.Value["spec"];
        var desired = JsonText.WholeNumber(spec?["replicas"]) ?? 1;
        var hash = OwnedPods.TemplateHash(spec?["template"]);
        var owned = OwnedPods.Controlled(operations.Store, ReplicaSetController.StorageId, @namespace, uid);
        var current = owned.FirstOrDefault(rs => Meta.Labels(rs.Value).GetValueOrDefault(TemplateHashLabel) == hash);
        if (current is null)
        {
            await operations.CreateAsync(replicaSets, @namespace, NewReplicaSet(deployment, hash, desired), new WriteOptions());
        }
        else if (JsonText.WholeNumber(current.Value["spec"]?["replicas"]) != desired)
        {
            await ScaleAsync(replicaSets, current, desired);
        }

        foreach (var old in owned.Where(rs => rs != current && JsonText.WholeNumber(rs.Value["spec"]?["replicas"]) != 0))
        {
            await ScaleAsync(replicaSets, old, 0);
        }

        await WriteStatusAsync(deployment, hash, desired);
    }

    private Task<StoredObject> ScaleAsync(ResourceType replicaSets, StoredObject replicaSet, long replicas) =>
        operations.PatchAsync(replicaSets, replicaSet.Namespace, replicaSet.Name, "application/merge-patch+json",
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, null, new WriteOptions());

    private async Task WriteStatusAsync(StoredObject deployment, string hash, long desired)
    {
        var owned = OwnedPods.Controlled(operations.Store, ReplicaSetController.StorageId, deployment.Namespace, Meta.Uid(deployment.Value) ?? string.Empty);
        long Sum(IEnumerable<StoredObject> sets, string field) => sets.Sum(rs => JsonText.WholeNumber(rs.Value["status"]?[field]) ?? 0);
        var updated = owned.Where(rs => Meta.Labels(rs.Value).GetValueOrDefault(TemplateHashLabel) == hash).ToList();
        var available = Sum(owned, "availableReplicas");
        var failure = owned.SelectMany(rs => (rs.Value["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
            .FirstOrDefault(condition => Meta.Text(condition, "type") == ReplicaPods.FailureCondition);
        var conditions = new JsonArray(new JsonObject
        {
            ["type"] = "Available",
            ["status"] = available >= desired ? "True" : "False",
            ["reason"] = available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            ["message"] = available >= desired ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
        });
        if (failure is not null)
        {
            conditions.Add(failure.DeepClone());
        }

        var status = new JsonObject
        {
            ["observedGeneration"] = JsonText.WholeNumber(deployment.Value["metadata"]?["generation"]) ?? 1,
            ["replicas"] = Sum(owned, "replicas"),
            ["updatedReplicas"] = Sum(updated, "replicas"),
            ["readyReplicas"] = Sum(owned, "readyReplicas"),
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, desired - available),
            ["conditions"] = conditions,
        };
        if (operations.Store.Get(StorageId, deployment.Namespace, deployment.Name) is { } latest && !Meta.IsDeleting(latest.Value))
        {
            await OwnedPods.WriteStatusIfChangedAsync(operations, registry.Find("apps", "v1", "deployments")!, latest, status);
        }
    }

    private static JsonObject NewReplicaSet(StoredObject deployment, string hash, long replicas)
    {
        var spec = deployment.Value["spec"]!;
        var template = spec["template"]?.DeepClone() as JsonObject ?? [];
        var templateMetadata = template["metadata"] as JsonObject ?? [];
        template["metadata"] = templateMetadata;
        var labels = templateMetadata["labels"] as JsonObject ?? [];
        templateMetadata["labels"] = labels;
        labels[TemplateHashLabel] = hash;
        var selector = spec["selector"]?.DeepClone() as JsonObject ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        selector["matchLabels"] = matchLabels;
        matchLabels[TemplateHashLabel] = hash;
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{deployment.Name}-{hash}",
                ["labels"] = labels.DeepClone(),
                ["ownerReferences"] = new JsonArray(OwnedPods.ControllerReference("apps/v1", "Deployment", deployment.Value)),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template },
        };
    }
}
