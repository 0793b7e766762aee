using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Disruption;

/// <summary>
/// The <c>pods/eviction</c> subresource (POST a policy/v1 Eviction), with a real server's semantics: a pod no budget
/// covers, or one that is not running (Pending, finished, already deleting), is deleted at once; a pod one budget covers
/// is deleted only when the budget allows a disruption, which the same store write consumes (disruptionsAllowed − 1,
/// the pod recorded in disruptedPods) so two evictions can never spend one allowance; otherwise 429 TooManyRequests
/// with a DisruptionBudget cause naming the budget. More than one covering budget is a 500, as on a real server.
/// dryRun checks everything and changes nothing; deleteOptions (grace period, preconditions) reach the pod's delete.
/// </summary>
public sealed class PodEvictions(ResourceOperations operations, TimeProvider time)
{
    public const string TooManyRequestsMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    public async Task<JsonObject> EvictAsync(ResourceType pods, string @namespace, string name, JsonObject? eviction, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var bodyName = Meta.Name(eviction ?? []);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest("name in URL does not match name in Eviction object");
        }

        var deleteOptions = DeleteOptionsOf(eviction?["deleteOptions"] as JsonObject, dryRun);
        await operations.Store.WriteAsync(transaction =>
        {
            var pod = transaction.Get("pods", @namespace, name) ?? throw ApiException.NotFound("pods", name);
            if (deleteOptions.PreconditionUid is { Length: > 0 } uid && uid != Meta.Uid(pod.Value))
            {
                throw ApiException.Conflict("pods", name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(pod.Value)}");
            }

            if (IgnoresBudgets(pod.Value))
            {
                return pod;
            }

            var budgets = DisruptionBudgets.Covering(operations.Store, pod.Value);
            if (budgets.Count > 1)
            {
                throw new ApiException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 0)
            {
                return pod;
            }

            var budget = transaction.Get(DisruptionBudgets.StorageId, @namespace, budgets[0].Name)!;
            var next = Spend(budget, pod.Value);
            return deleteOptions.DryRun ? pod : transaction.Put(DisruptionBudgets.StorageId, @namespace, budget.Name, next);
        });

        await operations.DeleteAsync(pods, @namespace, name, deleteOptions);
        return new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
    }

    /// <summary>As the real server's canIgnorePDB: a pod that is not running, or already going, disrupts nothing.</summary>
    private static bool IgnoresBudgets(JsonObject pod) =>
        Meta.IsDeleting(pod) || Meta.Text(pod["status"], "phase") is "Succeeded" or "Failed" or "Pending";

    /// <summary>The budget with one disruption spent on <paramref name="pod"/>, or the 429 a real server answers.</summary>
    private JsonObject Spend(StoredObject budget, JsonObject pod)
    {
        var status = budget.Value["status"] as JsonObject;
        var generation = JsonText.WholeNumber(budget.Value["metadata"]?["generation"]) ?? 1;
        if (status is null || (JsonText.WholeNumber(status["observedGeneration"]) ?? 0) < generation)
        {
            throw TooManyRequests($"The disruption budget {budget.Name} is still being processed by the server.");
        }

        var allowed = JsonText.WholeNumber(status["disruptionsAllowed"]) ?? 0;
        var healthy = JsonText.WholeNumber(status["currentHealthy"]) ?? 0;
        var desired = JsonText.WholeNumber(status["desiredHealthy"]) ?? 0;
        var policy = Meta.Text(budget.Value["spec"], "unhealthyPodEvictionPolicy");
        var podName = Meta.Name(pod)!;
        if (!DisruptionBudgets.IsHealthy(pod) && (policy == "AlwaysAllow" || healthy >= desired))
        {
            // An unready pod does not count towards the budget: evicting it disrupts nothing the budget protects.
            return budget.Value;
        }

        if (allowed < 0)
        {
            throw new ApiException(403, "Forbidden", "pdb disruptions allowed is negative");
        }

        if (allowed == 0)
        {
            throw TooManyRequests($"The disruption budget {budget.Name} needs {desired} healthy pods and has {healthy} currently");
        }

        var next = budget.Value.DeepClone().AsObject();
        var nextStatus = next["status"]!.AsObject();
        nextStatus["disruptionsAllowed"] = allowed - 1;
        var disrupted = nextStatus["disruptedPods"] as JsonObject ?? [];
        disrupted[podName] = Meta.Timestamp(time.GetUtcNow());
        nextStatus["disruptedPods"] = disrupted;
        return next;
    }

    private static ApiException TooManyRequests(string cause) => new(429, "TooManyRequests", TooManyRequestsMessage, new JsonObject
    {
        ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
    });

    private static DeleteOptions DeleteOptionsOf(JsonObject? options, bool dryRun) => new(
        JsonText.WholeNumber(options?["gracePeriodSeconds"]),
        Meta.Text(options, "propagationPolicy"),
        Meta.Text(options?["preconditions"], "uid"),
        Meta.Text(options?["preconditions"], "resourceVersion"),
        dryRun || (options?["dryRun"] as JsonArray)?.Any(item => item?.ToString() == "All") == true);
}
