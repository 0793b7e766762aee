using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Host.Explain;

/// <summary>
/// Turns <see cref="WorkloadFacts"/> into sentences that answer "why is it not Running?": the workload's own
/// conditions first (the reconciler states missing pools and impossible specs there), then each worker that is not
/// ready with the allocator's reasons from its PodScheduled condition, then pool, quota and recent warnings.
/// </summary>
public static class WorkloadExplainer
{
    /// <summary>The QoS the allocator gives its workers: the one named, else the same default rule admission uses.</summary>
    private static string QosInEffect(WorkloadFacts facts)
    {
        var spec = facts.Workload.Spec;
        return spec?.Qos is { } named
            ? named.ToString().ToLowerInvariant()
            : Pipelines.Admission.PodAnnotationParser.DefaultQos(spec ?? new WorkloadProfileSpec(), facts.Pool).ToString().ToLowerInvariant() + " (default)";
    }

    public static IReadOnlyList<string> Explain(WorkloadFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var workload = facts.Workload;
        var status = workload.Status;
        var lines = new List<string>();
        var phase = (status?.Phase ?? WorkloadPhase.Pending).ToString();
        var name = $"{workload.Metadata.NamespaceProperty}/{workload.Metadata.Name}";
        lines.Add($"Workload {name} is {phase}: {status?.ReadyWorkers ?? 0}/{status?.WorkerCount ?? 0} workers ready " +
                  $"(wants {DescribeReplicas(workload)}; pool {facts.PoolName}, QoS {QosInEffect(facts)}).");

        foreach (var condition in status?.Conditions ?? [])
        {
            if (condition.Status != "True" || condition.Type != ConditionTypes.Ready)
            {
                lines.Add($"  condition {condition.Type}={condition.Status} ({condition.Reason}): {condition.Message}");
            }
        }

        if (facts.Pool is null)
        {
            lines.Add($"  pool {facts.PoolName} does not exist: create it or set spec.poolName to an existing GPUPool (kubectl get gpupools).");
        }

        foreach (var worker in facts.Workers)
        {
            var line = ExplainWorker(worker);
            if (line is not null)
            {
                lines.Add(line);
            }
        }

        if (facts.Workers.Count == 0 && phase != "Running")
        {
            lines.Add("  no worker pods exist yet: the operator creates them once the workload's pool and spec are valid (is `tensorfusion operator` or `local` running?).");
        }

        if (status?.Gang is { } gang)
        {
            lines.Add($"  gang {gang.GroupKey} is {gang.Phase} ({gang.Reason}): {gang.Message} [{gang.ScheduledMembers ?? 0} placed, {gang.ReadyMembers ?? 0} ready of {gang.DesiredMembers ?? 0}]");
        }

        foreach (var connection in facts.Connections.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal))
        {
            lines.Add(connection.Status is { Phase: ConnectionPhase.Running } running
                ? $"  connection {connection.Metadata.Name}: client {connection.Spec.ClientPod} → worker {running.WorkerName} ({running.ConnectionUrl})"
                : $"  connection {connection.Metadata.Name}: client {connection.Spec.ClientPod} has no running worker ({connection.Status?.Phase ?? ConnectionPhase.Pending}).");
        }

        if (facts.Quota?.Status is { } quotaStatus && facts.Quota.Spec is { } quotaSpec)
        {
            lines.Add($"  quota {facts.Quota.Metadata.Name}: {QuotaText.Describe(quotaSpec, quotaStatus)}");
        }

        foreach (var warning in facts.Events.Where(e => e.Type == "Warning" && IsAbout(e, workload)).OrderByDescending(e => e.LastTimestamp ?? e.EventTime).Take(5))
        {
            lines.Add($"  event {warning.Reason}: {warning.Message}");
        }

        if (phase == "Running" && lines.Count == 1)
        {
            lines.Add("  nothing is wrong: every worker is placed and ready.");
        }

        return lines;
    }

    /// <summary>
    /// Events are matched by the workload's UID, not its name: an earlier workload of the same name, deleted and
    /// recreated, left events that say nothing about this one. An event without a UID is kept only for our kind.
    /// </summary>
    public static bool IsAbout(Corev1Event @event, TensorFusionWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(workload);
        var involved = @event.InvolvedObject;
        if (involved?.Name != workload.Metadata.Name)
        {
            return false;
        }

        return string.IsNullOrEmpty(involved.Uid) || string.IsNullOrEmpty(workload.Metadata.Uid)
            ? involved.Kind is null or TensorFusionWorkload.KubeKind
            : involved.Uid == workload.Metadata.Uid;
    }

    private static string DescribeReplicas(TensorFusionWorkload workload) =>
        workload.Spec?.Replicas is { } replicas ? $"{replicas} replicas" : "dynamic replicas (one per client pod)";

    private static string? ExplainWorker(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return scheduled is { Status: "False" }
                ? $"  worker {name} is not placed ({scheduled.Reason}): {scheduled.Message}"
                : $"  worker {name} waits for the allocator (no decision yet).";
        }

        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.Status == "True")
        {
            return null;
        }

        var gpus = pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(Labels.Prefix + "gpu-ids", out var ids) ? ids : "none recorded";
        var waiting = pod.Status?.ContainerStatuses?.Select(s => s.State?.Waiting).FirstOrDefault(w => w is not null);
        var detail = waiting is not null ? $"{waiting.Reason}: {waiting.Message}" : pod.Status?.Phase ?? "Pending";
        return $"  worker {name} is on node {pod.Spec.NodeName} (GPUs {gpus}) but not ready: {detail}";
    }
}
