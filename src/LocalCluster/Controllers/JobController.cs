using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// Runs a Job's pods: up to spec.parallelism at a time until spec.completions have Succeeded (condition Complete), or
/// until more than spec.backoffLimit have Failed (condition Failed, reason BackoffLimitExceeded, active pods deleted).
/// Without completions, the first success completes the Job once nothing else runs. A failed pod is replaced by a new
/// one (restartPolicy OnFailure is treated as Never: simulated pods do not restart in place). Pods on simulated nodes
/// finish when annotated <c>tensor-fusion.ai/simulate: succeed</c> or <c>fail</c>.
/// </summary>
public sealed class JobController(ResourceOperations operations, ResourceRegistry registry, TimeProvider time)
{
    public const string StorageId = "jobs.batch";

    /// <returns>False when a pod could not be created (retry later).</returns>
    public async Task<bool> ReconcileAsync(string @namespace, string name)
    {
        var job = operations.Store.Get(StorageId, @namespace, name);
        if (job is null || Meta.IsDeleting(job.Value) || Finished(job.Value))
        {
            return true;
        }

        var uid = Meta.Uid(job.Value) ?? string.Empty;
        var spec = job.Value["spec"];
        var parallelism = JsonText.WholeNumber(spec?["parallelism"]) ?? 1;
        var completions = JsonText.WholeNumber(spec?["completions"]);
        var backoffLimit = JsonText.WholeNumber(spec?["backoffLimit"]) ?? 6;
        var pods = OwnedPods.Controlled(operations.Store, "pods", @namespace, uid);
        var succeeded = pods.Count(pod => OwnedPods.Phase(pod.Value) == "Succeeded");
        var failed = pods.Count(pod => OwnedPods.Phase(pod.Value) == "Failed");
        var active = pods.Where(pod => OwnedPods.IsActive(pod.Value)).ToList();
        var now = Meta.Timestamp(time.GetUtcNow());
        JsonObject? outcome = null;
        string? failure = null;
        if (failed > backoffLimit)
        {
            outcome = Condition("Failed", "BackoffLimitExceeded", $"Job has reached the specified backoff limit ({failed} failed pods, backoffLimit {backoffLimit})", now);
            foreach (var pod in active)
            {
                await ReplicaPods.DeleteAsync(operations, registry, pod);
            }
        }
        else if (completions is { } wanted ? succeeded >= wanted : succeeded > 0 && active.Count == 0)
        {
            outcome = Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
        }
        else
        {
            // Without completions, no new pod starts once one has succeeded; the others finish on their own.
            var target = completions is { } total ? Math.Min(parallelism, total - succeeded) : succeeded > 0 ? 0 : parallelism;
            failure = await ReplicaPods.CreateAsync(operations, registry, job, "batch/v1", "Job", spec?["template"], (int)(target - active.Count));
            foreach (var extra in OwnedPods.ScaleDownOrder(active).Take(active.Count - (int)target))
            {
                await ReplicaPods.DeleteAsync(operations, registry, extra);
            }
        }

        var current = operations.Store.Get(StorageId, @namespace, name) ?? job;
        var running = OwnedPods.Controlled(operations.Store, "pods", @namespace, uid).Where(pod => OwnedPods.IsActive(pod.Value)).ToList();
        var status = new JsonObject
        {
            ["startTime"] = current.Value["status"]?["startTime"]?.DeepClone() ?? JsonValue.Create(now),
            ["active"] = outcome is null ? running.Count : 0,
            ["ready"] = running.Count(pod => OwnedPods.IsReady(pod.Value)),
            ["succeeded"] = succeeded,
            ["failed"] = failed,
        };
        if (outcome is not null)
        {
            status["conditions"] = new JsonArray(outcome);
            if (Meta.Text(outcome, "type") == "Complete")
            {
                status["completionTime"] = now;
            }
        }

        await ReplicaPods.ReportFailureAsync(operations, registry, current, "Job", status, failure, now);
        await OwnedPods.WriteStatusIfChangedAsync(operations, registry.Find("batch", "v1", "jobs")!, current, status);
        return failure is null;
    }

    private static bool Finished(JsonObject job) =>
        (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(condition => Meta.Text(condition, "type") is "Complete" or "Failed" && Meta.Text(condition, "status") == "True");

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
    };
}
