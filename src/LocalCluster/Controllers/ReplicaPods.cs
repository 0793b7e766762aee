using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>The pod writes the ReplicaSet and Job controllers share, and how they report a pod they could not create.</summary>
public static class ReplicaPods
{
    public const string FailureCondition = "ReplicaFailure";

    /// <summary>Creates up to <paramref name="count"/> pods; stops at the first refusal and returns its message (null when all were created).</summary>
    public static async Task<string?> CreateAsync(
        ResourceOperations operations, ResourceRegistry registry, StoredObject owner, string apiVersion, string kind, JsonNode? template, int count,
        IReadOnlyDictionary<string, string>? extraLabels = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(owner);
        var pods = registry.Find(string.Empty, "v1", "pods")!;
        for (var created = 0; created < count; created++)
        {
            var pod = OwnedPods.FromTemplate(template, owner.Name + "-", OwnedPods.ControllerReference(apiVersion, kind, owner.Value));
            if (extraLabels is not null)
            {
                var labels = pod["metadata"]!["labels"] as JsonObject ?? [];
                pod["metadata"]!["labels"] = labels;
                foreach (var (key, value) in extraLabels)
                {
                    labels[key] = value;
                }
            }

            try
            {
                await operations.CreateAsync(pods, owner.Namespace, pod, new WriteOptions());
            }
            catch (ApiException refused)
            {
                return $"Error creating: {refused.Message}";
            }
        }

        return null;
    }

    public static async Task DeleteAsync(ResourceOperations operations, ResourceRegistry registry, StoredObject pod)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            await operations.DeleteAsync(registry.Find(string.Empty, "v1", "pods")!, pod.Namespace, pod.Name, new DeleteOptions(PropagationPolicy: "Background"));
        }
        catch (ApiException gone) when (gone.Code is 404 or 409)
        {
            // Deleted or changed meanwhile: the pod's own event brings the owner back if anything is left to do.
        }
    }

    /// <summary>
    /// Puts the ReplicaFailure condition into <paramref name="status"/> while a create fails (kept from the stored status
    /// while the message is the same, so it does not flap), and records a FailedCreate event when the message is new.
    /// </summary>
    public static async Task ReportFailureAsync(ResourceOperations operations, ResourceRegistry registry, StoredObject owner, string kind, JsonObject status, string? failure, string now)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(status);
        var previous = (owner.Value["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(condition => Meta.Text(condition, "type") == FailureCondition);
        var conditions = new JsonArray([.. (status["conditions"] as JsonArray ?? []).Select(condition => condition?.DeepClone())]);
        if (failure is not null)
        {
            var same = previous is not null && Meta.Text(previous, "message") == failure;
            conditions.Add(same ? previous!.DeepClone() : new JsonObject
            {
                ["type"] = FailureCondition,
                ["status"] = "True",
                ["reason"] = "FailedCreate",
                ["message"] = failure,
                ["lastTransitionTime"] = now,
            });
            if (!same)
            {
                await RecordEventAsync(operations, registry, owner, kind, failure, now);
            }
        }

        if (conditions.Count > 0)
        {
            status["conditions"] = conditions;
        }
    }

    private static async Task RecordEventAsync(ResourceOperations operations, ResourceRegistry registry, StoredObject owner, string kind, string message, string now)
    {
        var apiVersion = kind == "Job" ? "batch/v1" : "apps/v1";
        try
        {
            await operations.CreateAsync(registry.Find(string.Empty, "v1", "events")!, owner.Namespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["generateName"] = owner.Name + "." },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = owner.Name, ["namespace"] = owner.Namespace, ["uid"] = Meta.Uid(owner.Value),
                },
                ["reason"] = "FailedCreate",
                ["message"] = message,
                ["type"] = "Warning",
                ["source"] = new JsonObject { ["component"] = kind == "Job" ? "job-controller" : "replicaset-controller" },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
            }, new WriteOptions());
        }
        catch (ApiException)
        {
            // The condition carries the same message; an event that cannot be written (namespace terminating) is not retried.
        }
    }
}
