using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Status;

namespace TensorFusion.Pipelines.Autoscaling;

/// <summary>
/// Writes the autoscaler's part of a TensorFusionWorkload's status as a merge patch to <c>/status</c> (through
/// <see cref="StatusPatcher"/>: resourceVersion-guarded, rebuilt from a fresh read on conflict): the recommendation
/// (only when it changed), activeCronScalingRule (null clears it), appliedRecommendedReplicas (after a resize) and the
/// ResourceUpdate condition. It never touches phase, workerCount, readyWorkers, the hash or other conditions, which
/// belong to the workload reconciler. The legacy RecommendationProvided condition is migrated away, as upstream does.
/// A successful resize also records a ResourceScaledUp/ResourceScaledDown event.
/// </summary>
public sealed class KubernetesWorkloadStatusWriter(KubeRestClient client, TimeProvider time, EventRecorder? events = null)
    : IWorkloadStatusWriter
{
    private readonly StatusPatcher _patcher = new(client, time);

    /// <summary>Raised after each write that changed status, with the decision written.</summary>
    public event Action<AutoscaleDecision>? Written;

    public async Task WriteAsync(AutoscaleDecision decision, int? appliedRecommendedReplicas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var path = ResourceDescriptor.Workloads.ObjectPath(decision.Namespace, decision.Name);
        // A fresh read rather than the cache: the patch is guarded by resourceVersion, and a cache that has not caught up
        // with the last write would only buy a conflict and a retry.
        var workload = await client.TryGetAsync<TensorFusionWorkload>(path, cancellationToken);
        if (workload is null)
        {
            return;
        }

        var before = Recorded(workload);
        var wrote = await _patcher.PatchAsync(path, workload, current => Build(current, decision, appliedRecommendedReplicas),
            current => current.Metadata.ResourceVersion, cancellationToken);
        if (wrote)
        {
            Written?.Invoke(decision);
        }

        if (wrote && appliedRecommendedReplicas is not null && events is not null)
        {
            var up = decision.Recommendation.Requests.Tflops > before.Requests.Tflops || decision.Recommendation.Requests.VramBytes > before.Requests.VramBytes;
            await events.RecordAsync(TensorFusionApi.ApiVersion, TensorFusionWorkload.KubeKind, workload.Metadata, EventRecorder.Normal,
                up ? EventReasons.ResourceScaledUp : EventReasons.ResourceScaledDown,
                $"{appliedRecommendedReplicas} worker(s) resized in place to requests {ResourceText.Tflops(decision.Recommendation.Requests.Tflops)} / "
                + $"{ResourceText.Vram(decision.Recommendation.Requests.VramBytes)}", cancellationToken);
        }
    }

    /// <summary>The status patch for <paramref name="current"/>, or null when status already says all of it.</summary>
    public JsonObject? Build(TensorFusionWorkload current, AutoscaleDecision decision, int? appliedRecommendedReplicas)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        var old = current.Status ?? new TensorFusionWorkloadStatus();
        var patch = new JsonObject();
        if (decision.Recommendation != Recorded(current))
        {
            patch["recommendation"] = JsonSerializer.SerializeToNode(ResourceConversions.ToRequirements(decision.Recommendation), TensorFusionJson.Options);
        }

        if (decision.ActiveCronRule != old.ActiveCronScalingRule?.Name)
        {
            var rule = decision.ActiveCronRule is null
                ? null
                : current.Spec.AutoScalingConfig?.CronScalingRules?.FirstOrDefault(r => r.Name == decision.ActiveCronRule);
            patch["activeCronScalingRule"] = rule is null ? null : JsonSerializer.SerializeToNode(rule, TensorFusionJson.Options);
        }

        if (appliedRecommendedReplicas is { } applied && applied != old.AppliedRecommendedReplicas)
        {
            patch["appliedRecommendedReplicas"] = applied;
        }

        var withoutLegacy = old.Conditions?.Where(c => c.Type != ConditionTypes.RecommendationProvided).ToList();
        var conditions = ConditionList.With(withoutLegacy, ConditionTypes.ResourceUpdate, decision.ConditionTrue, decision.ConditionReason,
            Truncate(decision.ConditionMessage), current.Metadata.Generation, time.GetUtcNow());
        if (!ConditionList.SameMeaning(old.Conditions, conditions))
        {
            patch["conditions"] = JsonSerializer.SerializeToNode(conditions, TensorFusionJson.Options);
        }

        return patch.Count == 0 ? null : patch;
    }

    /// <summary>The resources status says are in force: status.recommendation, else spec.resources.</summary>
    private static WorkloadResources Recorded(TensorFusionWorkload workload) =>
        ResourceConversions.ToResources(workload.Status?.Recommendation ?? workload.Spec.Resources);

    /// <summary>Condition messages stay well under the API's 32 KiB limit.</summary>
    private static string Truncate(string message) =>
        message.Length <= 2048 ? message : message[..2048].ToString(CultureInfo.InvariantCulture) + "…";
}
