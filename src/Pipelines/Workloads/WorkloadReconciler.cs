using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Connections;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Pipelines.Controllers;
using TensorFusion.Pipelines.Events;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Status;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>
/// Keeps a TensorFusionWorkload's workers and status: finalizer, hash, fixed replicas (scale and surge rolling
/// update), dynamic replicas (one worker per client pod, or the client pod itself when local), and phase/Ready.
/// Problems the user can fix (missing pool or profile, unknown GPU model, gpuCount larger than any node) are stated in the Ready condition and an
/// event and heal when the world changes: pool and profile changes requeue the workloads that name them.
/// </summary>
public sealed class WorkloadReconciler(
    WorkloadCaches caches, KubeRestClient client, StatusPatcher status, EventRecorder events, TimeProvider time, bool draClaims = false)
    : IReconciler<string>
{
    private static readonly GpuModelCatalog Catalog = GpuModelCatalog.Default;
    private readonly ConnectionSync _connections = new(client);
    private readonly Claims.ClaimAllocationWriter _claims = new(client);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Parse(key);
        var workload = caches.Workloads.Get(ns, name);
        if (caches.Workloads.GetInvalid(ns, name) is { } invalid)
        {
            // Quarantined: the quarantine controller states why; its workers stay as they are until a valid spec arrives.
            // Deleting it is always enough: the finalizer goes as for any workload.
            return invalid.Deleting ? await FinalizeQuarantinedAsync(invalid, workload, key, cancellationToken) : ReconcileResult.Done;
        }

        if (workload is null)
        {
            return ReconcileResult.Done;
        }

        var pods = caches.PodsOf(key);
        var active = pods.Where(WorkerPods.IsActive).ToList();
        var fixedReplicas = workload.Spec.Replicas is not null && !IsLocal(workload);

        if (workload.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(workload, fixedReplicas ? active.Where(WorkerPods.IsWorker).ToList() : [], cancellationToken);
        }

        if (workload.Metadata.Finalizers?.Contains(Finalizers.TensorFusion) != true)
        {
            await SetFinalizersAsync(workload, [.. workload.Metadata.Finalizers ?? [], Finalizers.TensorFusion], cancellationToken);
            return ReconcileResult.Done;
        }

        if (string.IsNullOrEmpty(workload.Spec.PoolName) && Admission.DefaultPool.Find(caches.Pools.List()) is { Metadata.Name: { } defaultPool })
        {
            // Upstream's rule: no pool named means the pool annotated is-default-pool. Recorded in spec.poolName, as the
            // pod webhook does for pods, so the printer columns, `explain` and the allocator all see the pool in effect.
            await client.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(ns, name), new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = workload.Metadata.ResourceVersion },
                ["spec"] = new JsonObject { ["poolName"] = defaultPool },
            }, cancellationToken);
            return ReconcileResult.Done;
        }

        var problem = FindProblem(workload, out var pool);
        if (problem is not null)
        {
            await events.RecordAsync(workload.ApiVersion, workload.Kind, workload.Metadata, EventRecorder.Warning, problem.Reason, problem.Message, cancellationToken);
            await WriteStatusAsync(workload, problem, null, workers: active.Count(WorkerPods.IsWorker), ready: 0, cancellationToken);
            return ReconcileResult.Done;
        }

        var hash = PodTemplateHash.Compute(pool!, workload.Spec);
        if (workload.Spec.Replicas is not null && IsLocal(workload))
        {
            await events.RecordAsync(workload.ApiVersion, workload.Kind, workload.Metadata, EventRecorder.Warning, WorkloadEventReasons.ReplicasIgnored,
                "spec.replicas is ignored: with isLocalGPU (or sidecarWorker) the client pods are the workers", cancellationToken);
        }

        List<V1Pod> workers;
        int desired;
        if (fixedReplicas)
        {
            workers = active.Where(WorkerPods.IsWorker).ToList();
            desired = workload.Spec.Replicas!.Value;
            await ScaleFixedAsync(workload, pool!, hash, desired, workers, cancellationToken);
        }
        else if (IsLocal(workload))
        {
            workers = active.Where(pod => !WorkerPods.IsWorker(pod)).ToList();
            desired = workers.Count;
        }
        else
        {
            workers = active.Where(WorkerPods.IsWorker).ToList();
            var clients = active.Where(pod => !WorkerPods.IsWorker(pod)).ToList();
            desired = clients.Count;
            await FollowClientsAsync(workload, pool!, hash, clients, workers, cancellationToken);
        }

        if (!IsLocal(workload) && caches.Connections is not null)
        {
            // Remote mode: every client pod gets a connection to a running worker (docs/allocation.md, "Connections").
            var clients = active.Where(pod => !WorkerPods.IsWorker(pod)).ToList();
            var plan = ConnectionPlanner.Plan(clients, workers, caches.ConnectionsOf(key), fixedReplicas);
            await _connections.ApplyAsync(ns, name, plan, clients, cancellationToken);
        }

        var ready = workers.Count(WorkerPods.IsReady);
        var readiness = ReadinessRules.Derive(workers.Count(WorkerPods.IsFailed), desired, ready, dynamicReplicas: !fixedReplicas);
        var gang = fixedReplicas ? GangStatusRules.Derive(workload, workers, time.GetUtcNow().UtcDateTime) : null;
        readiness = GangStatusRules.Apply(readiness, gang);
        if (gang is not null && gang.Phase != workload.Status?.Gang?.Phase)
        {
            // Upstream's gang reasons as events, once per phase change (the status keeps the latest).
            var type = gang.Phase is GangSchedulingPhase.Running or GangSchedulingPhase.Scheduling ? EventRecorder.Normal : EventRecorder.Warning;
            await events.RecordAsync(workload.ApiVersion, workload.Kind, workload.Metadata, type, gang.Reason!, gang.Message!, cancellationToken);
        }

        await WriteStatusAsync(workload, readiness, hash, fixedReplicas ? workers.Count : desired, ready, cancellationToken, gang);
        return ReconcileResult.Done;
    }

    private static bool IsLocal(TensorFusionWorkload workload) => workload.Spec.IsLocalGpu == true || workload.Spec.SidecarWorker == true;

    private Readiness? FindProblem(TensorFusionWorkload workload, out GpuPool? pool)
    {
        pool = null;
        var profileName = workload.Metadata.Annotation(Annotations.WorkloadProfile);
        if (!string.IsNullOrEmpty(profileName) && caches.Profiles.Get(workload.Metadata.NamespaceProperty, profileName) is null)
        {
            return new Readiness(WorkloadPhase.Pending, false, WorkloadEventReasons.WorkloadProfileNotFound,
                $"WorkloadProfile \"{profileName}\" (annotation {Annotations.WorkloadProfile}) does not exist in namespace \"{workload.Metadata.NamespaceProperty}\"");
        }

        if (!string.IsNullOrEmpty(workload.Spec.GpuModel) && Catalog.TryFind(workload.Spec.GpuModel) is null)
        {
            return new Readiness(WorkloadPhase.Pending, false, WorkloadEventReasons.UnknownGpuModel,
                $"spec.gpuModel \"{workload.Spec.GpuModel}\" is not a known GPU model");
        }

        var poolName = workload.Spec.PoolName;
        pool = string.IsNullOrEmpty(poolName) ? null : caches.Pools.Get(null, poolName);
        if (pool is null)
        {
            return new Readiness(WorkloadPhase.Pending, false, ConditionReasons.PoolNotFound,
                string.IsNullOrEmpty(poolName)
                    ? $"spec.poolName is empty and no GPUPool is annotated {Annotations.IsDefaultPool}: \"true\": name the GPUPool the workers come from, or mark one as the default"
                    : $"GPU pool \"{poolName}\" (spec.poolName) does not exist");
        }

        return GpuCountProblem(workload, poolName!);
    }

    /// <summary>
    /// A worker's GPUs all come from one node, so asking for more than the largest node of the pool can never be
    /// placed. Said only once the pool has registered nodes: while none has, the allocator's own reasons apply.
    /// </summary>
    private Readiness? GpuCountProblem(TensorFusionWorkload workload, string poolName)
    {
        var wanted = workload.Spec.GpuCount ?? 1;
        var largest = caches.GpuNodes?.List(node => node.Metadata.Label(Labels.GpuPool) == poolName)
            .Select(node => (node.Metadata.Name, Gpus: node.Status?.TotalGpus ?? 0))
            .OrderByDescending(node => node.Gpus)
            .FirstOrDefault();
        if (largest is not { Name: not null } node || node.Gpus == 0 || wanted <= node.Gpus)
        {
            return null;
        }

        return new Readiness(WorkloadPhase.Pending, false, WorkloadEventReasons.GpuCountExceedsNodes,
            string.Create(CultureInfo.InvariantCulture,
                $"spec.gpuCount {wanted} is more than any node of pool \"{poolName}\" has: the largest, {node.Name}, has {node.Gpus} GPUs (a worker's GPUs come from one node)"));
    }

    private async Task<ReconcileResult> FinalizeAsync(TensorFusionWorkload workload, List<V1Pod> workers, CancellationToken cancellationToken)
    {
        if (workload.Metadata.Finalizers?.Contains(Finalizers.TensorFusion) != true)
        {
            return ReconcileResult.Done;
        }

        foreach (var pod in workers)
        {
            await client.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(pod.Metadata.NamespaceProperty, pod.Metadata.Name), pod.Metadata.Uid, cancellationToken);
        }

        if (workers.Count > 0)
        {
            // The pod deletions come back as events and requeue the workload; the finalizer goes when none is left.
            return ReconcileResult.Done;
        }

        await SetFinalizersAsync(workload, [.. workload.Metadata.Finalizers.Where(f => f != Finalizers.TensorFusion)], cancellationToken);
        events.Forget(workload.Metadata.Uid ?? string.Empty);
        return ReconcileResult.Done;
    }

    /// <summary>
    /// A quarantined workload being deleted: its workers go (unless its last good spec made the client pods the workers)
    /// and the finalizer is removed, read from the stored object's metadata, which decodes even when its spec does not.
    /// </summary>
    private Task<ReconcileResult> FinalizeQuarantinedAsync(InvalidObject invalid, TensorFusionWorkload? lastGood, string key, CancellationToken cancellationToken)
    {
        var stored = new TensorFusionWorkload
        {
            Metadata = new V1ObjectMeta
            {
                Name = invalid.Name,
                NamespaceProperty = invalid.Namespace,
                Uid = invalid.Uid,
                ResourceVersion = invalid.ResourceVersion,
                Finalizers = [.. invalid.Finalizers],
            },
        };
        var ownWorkers = lastGood is null || (lastGood.Spec.Replicas is not null && !IsLocal(lastGood));
        var workers = ownWorkers ? caches.PodsOf(key).Where(WorkerPods.IsActive).Where(WorkerPods.IsWorker).ToList() : [];
        return FinalizeAsync(stored, workers, cancellationToken);
    }

    private async Task SetFinalizersAsync(TensorFusionWorkload workload, List<string> finalizers, CancellationToken cancellationToken)
    {
        // The resourceVersion makes this a compare-and-swap: a stale cache gets 409 and the key is retried.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = workload.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        await client.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(workload.Metadata.NamespaceProperty, workload.Metadata.Name), patch, cancellationToken);
    }

    private async Task ScaleFixedAsync(TensorFusionWorkload workload, GpuPool pool, string hash, int desired, List<V1Pod> workers, CancellationToken cancellationToken)
    {
        var plan = ScalePlanner.Plan(desired, hash, [.. workers.Select(WorkerPods.State)]);
        foreach (var index in plan.CreateIndices)
        {
            var name = WorkerPodFactory.FixedWorkerName(workload.Metadata.Name, hash, index);
            var labels = new Dictionary<string, string> { [WorkerPods.IndexLabel] = index.ToString(CultureInfo.InvariantCulture) };
            if (await CreatePodAsync(WorkerPodFactory.Create(workload, pool, hash, name, labels, draClaims), GpuCount(workload), cancellationToken))
            {
                await events.RecordAsync(workload.ApiVersion, workload.Kind, workload.Metadata, EventRecorder.Normal, WorkloadEventReasons.CreatedWorker, $"Created worker pod {name}", cancellationToken);
            }
        }

        foreach (var pod in plan.Delete)
        {
            await client.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(workload.Metadata.NamespaceProperty, pod.Name), pod.Uid, cancellationToken);
            var reason = pod.Hash == hash ? WorkloadEventReasons.DeletedWorker : WorkloadEventReasons.RollingUpdate;
            await events.RecordAsync(workload.ApiVersion, workload.Kind, workload.Metadata, EventRecorder.Normal, reason, $"Deleted worker pod {pod.Name}", cancellationToken);
        }
    }

    private async Task FollowClientsAsync(TensorFusionWorkload workload, GpuPool pool, string hash, List<V1Pod> clients, List<V1Pod> workers, CancellationToken cancellationToken)
    {
        var byClient = workers.ToLookup(pod => pod.Metadata.Label(WorkerPods.ClientPodLabel) ?? string.Empty);
        foreach (var clientPod in clients)
        {
            var own = byClient[clientPod.Metadata.Name].ToList();
            foreach (var stale in own.Where(pod => pod.Metadata.Label(Labels.PodTemplateHash) != hash))
            {
                await client.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(stale.Metadata.NamespaceProperty, stale.Metadata.Name), stale.Metadata.Uid, cancellationToken);
            }

            if (own.Count == 0)
            {
                var labels = new Dictionary<string, string> { [WorkerPods.ClientPodLabel] = clientPod.Metadata.Name };
                await CreatePodAsync(WorkerPodFactory.Create(workload, pool, hash, WorkerPodFactory.DynamicWorkerName(clientPod.Metadata.Name), labels, draClaims), GpuCount(workload), cancellationToken);
            }
        }

        var clientNames = clients.Select(pod => pod.Metadata.Name).ToHashSet();
        foreach (var orphan in workers.Where(pod => !clientNames.Contains(pod.Metadata.Label(WorkerPods.ClientPodLabel) ?? string.Empty)))
        {
            await client.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(orphan.Metadata.NamespaceProperty, orphan.Metadata.Name), orphan.Metadata.Uid, cancellationToken);
        }
    }

    /// <returns>False when the pod already existed (a repeat on a stale cache, not a second worker).</returns>
    private async Task<bool> CreatePodAsync(V1Pod pod, int gpus, CancellationToken cancellationToken)
    {
        try
        {
            var created = await client.CreateAsync(ResourceDescriptor.Pods.CollectionPath(pod.Metadata.NamespaceProperty), pod, cancellationToken);
            if (draClaims)
            {
                // Beside the pod, off the allocator's bind path; a failure here is healed there (it creates a missing claim).
                await _claims.TryCreateAsync(created, gpus, cancellationToken);
            }

            return true;
        }
        catch (ApiStatusException e) when (e.IsConflict)
        {
            return false;
        }
    }

    private static int GpuCount(TensorFusionWorkload workload) => Math.Max(1, workload.Spec.GpuCount ?? 1);

    private Task<bool> WriteStatusAsync(
        TensorFusionWorkload workload, Readiness readiness, string? hash, int workers, int ready, CancellationToken cancellationToken,
        GangSchedulingStatus? gang = null) =>
        status.PatchAsync(
            ResourceDescriptor.Workloads.ObjectPath(workload.Metadata.NamespaceProperty, workload.Metadata.Name),
            workload,
            current => BuildStatus(current, readiness, hash, workers, ready, gang),
            current => current.Metadata.ResourceVersion,
            cancellationToken);

    private JsonObject? BuildStatus(TensorFusionWorkload current, Readiness readiness, string? hash, int workers, int ready, GangSchedulingStatus? gang)
    {
        var old = current.Status ?? new TensorFusionWorkloadStatus();
        var generation = current.Metadata.Generation;
        var conditions = ConditionList.With(old.Conditions, ConditionTypes.Ready, readiness.Ready, readiness.Reason, readiness.Message, generation, time.GetUtcNow());
        var newHash = hash ?? old.PodTemplateHash;
        if (gang is not null && old.Gang is { } previous && previous.Phase == gang.Phase)
        {
            gang.LastTransitionTime = previous.LastTransitionTime;
        }

        var gangNode = gang is null ? null : JsonSerializer.SerializeToNode(gang, TensorFusionJson.Options);
        var sameGang = JsonNode.DeepEquals(gangNode, old.Gang is null ? null : JsonSerializer.SerializeToNode(old.Gang, TensorFusionJson.Options));
        if (old.Phase == readiness.Phase && old.WorkerCount == workers && old.ReadyWorkers == ready && old.PodTemplateHash == newHash
            && old.ObservedGeneration == generation && ConditionList.SameMeaning(old.Conditions, conditions) && sameGang)
        {
            return null;
        }

        return new JsonObject
        {
            ["gang"] = gangNode,
            ["phase"] = JsonSerializer.SerializeToNode(readiness.Phase, TensorFusionJson.Options),
            ["conditions"] = JsonSerializer.SerializeToNode(conditions, TensorFusionJson.Options),
            ["workerCount"] = workers,
            ["readyWorkers"] = ready,
            ["podTemplateHash"] = newHash,
            ["observedGeneration"] = generation,
        };
    }
}
