using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// The operator's <see cref="IAllocationWriter"/> over <see cref="KubeRestClient"/> (the client its informers use, so
/// fault injection and credentials are shared): the binding subresource carrying the allocation annotations, which the
/// API server puts on the pod in the same write (a resize rewrites them by merge patch); victims
/// deleted after a <c>Preempted</c> event; unschedulable workers get <c>PodScheduled=False</c> and one
/// <c>FailedScheduling</c> event per distinct reason; status aggregates by merge patch on <c>/status</c>. API errors are
/// classified (404 gone, anything else failed), never thrown.
/// </summary>
public sealed class RestAllocationWriter(KubeRestClient client, TimeProvider time) : IAllocationWriter
{
    public const string Component = "tensor-fusion-scheduler";

    private readonly EventRecorder _events = new(client, time, Component);

    // Last status body written per object: a batch reports every GPU of every node it touched, most of them unchanged.
    private readonly ConcurrentDictionary<string, string> _lastStatus = new(StringComparer.Ordinal);

    public async Task<WriteOutcome> BindAsync(V1Pod pod, WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(allocation);
        var (ns, name) = (allocation.Request.Namespace, allocation.Request.Worker);
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["annotations"] = AnnotationsOf(allocation) },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = allocation.Node },
        };
        return await TryAsync(() => client.CreateAsync<JsonNode>(ResourceDescriptor.Pods.ObjectPath(ns, name) + "/binding", binding, cancellationToken), cancellationToken);
    }

    public Task<WriteOutcome> UpdateAllocationAsync(WorkerAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = AnnotationsOf(allocation) } };
        return TryAsync(() => client.MergePatchAsync<JsonNode>(
            ResourceDescriptor.Pods.ObjectPath(allocation.Request.Namespace, allocation.Request.Worker), patch, cancellationToken), cancellationToken);
    }

    public async Task<WriteOutcome> EvictAsync(WorkerAllocation victim, string preemptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(victim);
        var (ns, name) = (victim.Request.Namespace, victim.Request.Worker);
        await _events.RecordAsync("v1", "Pod", new V1ObjectMeta { Name = name, NamespaceProperty = ns }, EventRecorder.Warning, "Preempted",
            $"preempted by {preemptor} (QoS {victim.Qos})", cancellationToken);
        return await TryAsync(async () =>
        {
            await client.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(ns, name), null, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Sets PodScheduled=False with the reason, on the version of the pod the decision saw (resourceVersion
    /// precondition): a merge patch replaces the whole conditions list, so writing over a newer version would wipe what
    /// the kubelet wrote since. On a conflict the pod is read again; one bound or deleted meanwhile is not reported.
    /// </summary>
    public async Task<WriteOutcome> ReportUnschedulableAsync(V1Pod pod, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var meta = pod.Metadata;
        var path = ResourceDescriptor.Pods.ObjectPath(ObjectKey.Of(meta).Namespace, meta.Name) + "/status";
        var current = pod;
        for (var attempt = 1; ; attempt++)
        {
            if (!string.IsNullOrEmpty(current.Spec?.NodeName) || current.Metadata?.DeletionTimestamp is not null)
            {
                return WriteOutcome.Gone;
            }

            var existing = current.Status?.Conditions ?? [];
            if (existing.Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Message == reason))
            {
                break;
            }

            try
            {
                await client.MergePatchAsync<JsonNode>(path, UnschedulablePatch(current, existing, reason), cancellationToken);
                break;
            }
            catch (ApiStatusException conflict) when (conflict.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                var (outcome, fresh) = await TryReadAsync(() => client.GetAsync<V1Pod>(ResourceDescriptor.Pods.ObjectPath(ObjectKey.Of(meta).Namespace, meta.Name), cancellationToken), cancellationToken);
                if (fresh is null)
                {
                    return outcome;
                }

                current = fresh;
            }
            catch (ApiStatusException error) when (error.StatusCode == HttpStatusCode.NotFound)
            {
                return WriteOutcome.Gone;
            }
            catch (Exception error) when (ApiErrors.IsTransientOrTimeout(error, cancellationToken) || error is JsonException or ApiStatusException { StatusCode: HttpStatusCode.Conflict })
            {
                return WriteOutcome.Failed;
            }
        }

        await _events.RecordAsync("v1", "Pod", meta, EventRecorder.Warning, "FailedScheduling", reason.Length > 1024 ? reason[..1024] : reason, cancellationToken);
        return WriteOutcome.Done;
    }

    private JsonObject UnschedulablePatch(V1Pod pod, IEnumerable<V1PodCondition> existing, string reason)
    {
        // A merge patch replaces the whole list: carry the other conditions over from this version of the pod.
        var conditions = new JsonArray();
        foreach (var other in existing.Where(c => c.Type != "PodScheduled"))
        {
            conditions.Add(JsonSerializer.SerializeToNode(other, Api.Serialization.TensorFusionJson.Options));
        }

        conditions.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = "Unschedulable",
            ["message"] = reason,
            ["lastTransitionTime"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
        if (pod.Metadata?.ResourceVersion is { Length: > 0 } version)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = version };
        }

        return patch;
    }

    private static async Task<(WriteOutcome Outcome, T? Value)> TryReadAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        T? value = null;
        var outcome = await TryAsync(async () => value = await call(), cancellationToken);
        return (outcome, value);
    }

    /// <summary>Writes every status again next time (objects may have been recreated without it).</summary>
    public void ForgetWrittenStatus() => _lastStatus.Clear();

    public async Task<WriteOutcome> WriteStatusAsync(CapacityReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var writes = report.Gpus.Select(gpu => (ResourceDescriptor.Gpus, gpu.Name, StatusPatches.ForGpu(gpu)))
            .Concat(report.Nodes.Select(node => (ResourceDescriptor.GpuNodes, node.Name, StatusPatches.ForNode(node))))
            .Concat(report.Pools.Select(pool => (ResourceDescriptor.GpuPools, pool.Name, StatusPatches.ForPool(pool))))
            .Where(write => _lastStatus.GetValueOrDefault(write.Item1.Plural + "/" + write.Name) != write.Item3.ToJsonString())
            .ToArray();
        var worst = WriteOutcome.Done;
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (write, ct) =>
        {
            var (resource, name, body) = write;
            var text = body.ToJsonString();
            var outcome = await TryAsync(() => client.MergePatchAsync<JsonNode>(resource.ObjectPath(null, name) + "/status", body, ct), ct);
            if (outcome == WriteOutcome.Done)
            {
                _lastStatus[resource.Plural + "/" + name] = text;
            }
            else
            {
                _lastStatus.TryRemove(resource.Plural + "/" + name, out _);
            }

            lock (writes)
            {
                worst = outcome == WriteOutcome.Failed || worst == WriteOutcome.Failed ? WriteOutcome.Failed
                    : outcome == WriteOutcome.Gone || worst == WriteOutcome.Gone ? WriteOutcome.Gone : WriteOutcome.Done;
            }
        });
        return worst;
    }

    private static async Task<WriteOutcome> TryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            await call();
            return WriteOutcome.Done;
        }
        catch (ApiStatusException error) when (error.StatusCode == HttpStatusCode.NotFound)
        {
            return WriteOutcome.Gone;
        }
        catch (Exception error) when (ApiErrors.IsTransientOrTimeout(error, cancellationToken) || error is JsonException)
        {
            return WriteOutcome.Failed;
        }
    }

    private static JsonObject AnnotationsOf(WorkerAllocation allocation)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in AllocationAnnotations.For(allocation))
        {
            annotations[key] = value;
        }

        return annotations;
    }
}
