using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Controllers.Dra;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// A kubelet stand-in for nodes labelled <see cref="SimulatedLabel"/>="true": pods bound to them go Pending →
/// ContainerCreating → Running (Ready, podIP) after <see cref="LocalApiServerOptions.PodStartDelay"/>, or fail, succeed or
/// crash-loop when annotated with <see cref="BehaviourAnnotation"/>; deleting pods are removed once their grace period
/// ends; each node renews a Lease in kube-node-lease and reports Ready. A pod with resource claims runs only once the
/// node's DRA plugins prepared them (<see cref="ClaimPreparer"/>: what its container got is recorded in
/// <see cref="ClaimPreparer.ContainerEditsAnnotation"/>); until then it stays ContainerCreating, retried with backoff,
/// with a FailedPrepareDynamicResources event per distinct reason; a deleted pod's claims are unprepared before it goes.
/// All timing goes through the TimeProvider.
/// </summary>
public sealed class SimulatedKubelet(ResourceOperations operations, ResourceRegistry registry, LocalApiServerOptions options)
{
    public const string SimulatedLabel = "tensor-fusion.ai/simulated";
    public const string BehaviourAnnotation = "tensor-fusion.ai/simulate";

    /// <summary>Longest wait between two tries to prepare a pod's claims (the first retry comes after 200 ms, doubling).</summary>
    public static readonly TimeSpan MaxPrepareBackoff = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, bool> _handled = new(StringComparer.Ordinal);
    private readonly ClaimPreparer _claims = new(operations.Store, new KubeletPluginRegistry(options.TimeProvider), options.TimeProvider);
    private readonly KubeletEvents _events = new(operations, registry, options.TimeProvider);
    private int _nextAddress;

    public static bool IsSimulated(JsonObject node) => Meta.Labels(node).GetValueOrDefault(SimulatedLabel) == "true";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (subscription, _) = operations.Store.Subscribe(null, null, initialState: false,
            change => change.Current!.StorageId == "pods" || (change.Type != WatchEventType.Deleted && change.Current.StorageId == "nodes"));
        using (subscription)
        {
            var heartbeats = HeartbeatAsync(cancellationToken);
            foreach (var pod in operations.Store.List("pods", null, null).Items)
            {
                Consider(pod, cancellationToken);
            }

            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                if (change.Type == WatchEventType.Deleted && change.Current!.StorageId == "pods")
                {
                    // Removed without a grace period (force delete): the kubelet still cleans up what it prepared.
                    Forgotten(change.Current, cancellationToken);
                }
                else if (change.Current!.StorageId == "pods")
                {
                    Consider(change.Current, cancellationToken);
                }
                else if (change.Type != WatchEventType.Deleted && change.Current!.StorageId == "nodes" && IsSimulated(change.Current.Value) &&
                         change.Current.Value["status"]?["nodeInfo"] is null)
                {
                    await ReportNodeAsync(change.Current.Name);
                    await Ignore(() => RenewLeaseAsync(change.Current.Name));
                }
            }

            await heartbeats;
        }
    }

    private void Consider(StoredObject pod, CancellationToken cancellationToken)
    {
        var nodeName = Meta.Text(pod.Value["spec"], "nodeName");
        if (nodeName is null || operations.Store.Get("nodes", string.Empty, nodeName) is not { } node || !IsSimulated(node.Value))
        {
            return;
        }

        var uid = Meta.Uid(pod.Value) ?? pod.Key;
        if (Meta.IsDeleting(pod.Value))
        {
            if (_handled.TryAdd(uid + "/delete", true))
            {
                var deadline = Meta.ParseTimestamp(Meta.Text(pod.Value["metadata"], "deletionTimestamp")) ?? options.TimeProvider.GetUtcNow();
                _ = LaterAsync(deadline, async () =>
                {
                    if (_handled.TryAdd(uid + "/unprepare", true))
                    {
                        await UnprepareClaimsAsync(pod, cancellationToken);
                    }

                    await operations.DeleteAsync(Pods(), pod.Namespace, pod.Name, new DeleteOptions(GracePeriodSeconds: 0));
                }, cancellationToken);
            }

            return;
        }

        if (pod.Value["status"]?["phase"]?.ToString() == "Pending" && _handled.TryAdd(uid + "/start", true))
        {
            var behaviour = Meta.StringMap(pod.Value["metadata"]?["annotations"]).GetValueOrDefault(BehaviourAnnotation) ?? "run";
            var address = $"10.244.{(Interlocked.Increment(ref _nextAddress) / 250) % 250}.{(_nextAddress % 250) + 2}";
            var deadline = options.TimeProvider.GetUtcNow() + options.PodStartDelay;
            _ = StartAsync(pod, deadline, behaviour, address, cancellationToken);
        }
    }

    private void Forgotten(StoredObject pod, CancellationToken cancellationToken)
    {
        var uid = Meta.Uid(pod.Value) ?? pod.Key;
        if (Meta.StringMap(pod.Value["metadata"]?["annotations"]).ContainsKey(ClaimPreparer.ContainerEditsAnnotation) && _handled.TryAdd(uid + "/unprepare", true))
        {
            _ = UnprepareClaimsAsync(pod, cancellationToken);
        }
    }

    /// <summary>ContainerCreating now, Running (or the annotated failure) at <paramref name="deadline"/>.</summary>
    private async Task StartAsync(StoredObject pod, DateTimeOffset deadline, string behaviour, string address, CancellationToken cancellationToken)
    {
        // Arm the start timer before ContainerCreating becomes visible: whoever reacts to that status by advancing a
        // fake clock can then never slip in between computing the delay and registering the timer.
        var startDue = WaitUntilAsync(deadline, cancellationToken);
        await WriteStatusAsync(pod, (status, current) => PodStatuses.Creating(status, current, Now()));
        if (options.PrepareResourceClaims && ClaimPreparer.HasClaims(pod.Value) && !await PrepareClaimsAsync(pod, cancellationToken))
        {
            return;
        }

        if (await startDue)
        {
            await WriteStatusAsync(pod, (status, current) => PodStatuses.Started(status, current, behaviour, address, Now()));
        }
    }

    /// <summary>
    /// Prepares the pod's claims, retrying with backoff until it works (true, edits recorded on the pod) or the pod is
    /// gone or deleting, or the kubelet stops (false). Each new reason is an event on the pod.
    /// </summary>
    private async Task<bool> PrepareClaimsAsync(StoredObject pod, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        string? reported = null;
        while (true)
        {
            if (operations.Store.Get("pods", pod.Namespace, pod.Name) is not { } current || Meta.Uid(current.Value) != Meta.Uid(pod.Value) || Meta.IsDeleting(current.Value))
            {
                return false;
            }

            try
            {
                var edits = await _claims.PrepareAsync(current.Value, NodePaths(current), cancellationToken);
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ClaimPreparer.ContainerEditsAnnotation] = edits.ToJsonString() } } };
                return await Ignore(async () =>
                {
                    await operations.PatchAsync(Pods(), pod.Namespace, pod.Name, "application/merge-patch+json", patch, null, new WriteOptions());
                    return true;
                }, false);
            }
            catch (DraPrepareException failure)
            {
                if (failure.Message != reported)
                {
                    reported = failure.Message;
                    await Ignore(async () => { await _events.RecordAsync(current, "Warning", "FailedPrepareDynamicResources", failure.Message); return true; });
                    await WriteStatusAsync(pod, (status, pending) => PodStatuses.Creating(status, pending, Now(), failure.Message));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (!await WaitUntilAsync(options.TimeProvider.GetUtcNow() + delay, cancellationToken))
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPrepareBackoff.Ticks));
        }
    }

    /// <summary>Unprepares a leaving pod's claims; a failure is an event on the pod, and the pod still goes (the agent
    /// also drops a worker's devices when the worker leaves its plan).</summary>
    private async Task UnprepareClaimsAsync(StoredObject pod, CancellationToken cancellationToken)
    {
        try
        {
            await _claims.UnprepareAsync(pod.Value, NodePaths(pod), cancellationToken);
        }
        catch (DraPrepareException failure)
        {
            await Ignore(async () => { await _events.RecordAsync(pod, "Warning", "FailedUnprepareDynamicResources", failure.Message); return true; });
        }
    }

    private SimulatedKubeletPaths? NodePaths(StoredObject pod) =>
        Meta.Text(pod.Value["spec"], "nodeName") is { } nodeName && operations.Store.Get("nodes", string.Empty, nodeName) is { } node
            ? SimulatedKubeletPaths.Of(node.Value)
            : null;

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.NodeHeartbeatInterval, options.TimeProvider);
        do
        {
            foreach (var node in operations.Store.List("nodes", null, item => IsSimulated(item.Value)).Items)
            {
                await Ignore(() => RenewLeaseAsync(node.Name));
            }
        }
        while (await Ignore(() => timer.WaitForNextTickAsync(cancellationToken).AsTask(), false));
    }

    private async Task<bool> RenewLeaseAsync(string nodeName)
    {
        var leases = registry.Find("coordination.k8s.io", "v1", "leases")!;
        var now = Now();
        if (operations.Store.Get(leases.StorageId, "kube-node-lease", nodeName) is null)
        {
            await operations.CreateAsync(leases, "kube-node-lease", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = nodeName },
                ["spec"] = new JsonObject { ["holderIdentity"] = nodeName, ["leaseDurationSeconds"] = 40, ["renewTime"] = now },
            }, new WriteOptions());
            return true;
        }

        await operations.PatchAsync(leases, "kube-node-lease", nodeName, "application/merge-patch+json",
            new JsonObject { ["spec"] = new JsonObject { ["renewTime"] = now } }, null, new WriteOptions());
        return true;
    }

    private Task<bool> ReportNodeAsync(string nodeName) => Ignore(async () =>
    {
        var nodes = registry.Find(string.Empty, "v1", "nodes")!;
        await operations.WriteStatusAsync(nodes, string.Empty, nodeName, node => PodStatuses.NodeReady(node, Now()));
        return true;
    });

    private Task<bool> WriteStatusAsync(StoredObject pod, Action<JsonObject, JsonObject> change) => Ignore(async () =>
    {
        await operations.WriteStatusAsync(Pods(), pod.Namespace, pod.Name, current =>
        {
            if (current["status"] is not JsonObject status)
            {
                status = [];
                current["status"] = status;
            }

            change(status, current);
        });
        return true;
    });

    private async Task LaterAsync(DateTimeOffset deadline, Func<Task> action, CancellationToken cancellationToken)
    {
        if (await WaitUntilAsync(deadline, cancellationToken))
        {
            await Ignore(async () => { await action(); return true; });
        }
    }

    /// <summary>True once the deadline has passed on the TimeProvider; false when cancelled. The timer is registered
    /// synchronously, before the returned task is first awaited.</summary>
    private Task<bool> WaitUntilAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var delay = deadline - options.TimeProvider.GetUtcNow();
        return delay <= TimeSpan.Zero
            ? Task.FromResult(true)
            : Ignore(async () => { await Task.Delay(delay, options.TimeProvider, cancellationToken); return true; }, false);
    }

    private ResourceType Pods() => registry.Find(string.Empty, "v1", "pods")!;

    private string Now() => Meta.Timestamp(options.TimeProvider.GetUtcNow());

    private static async Task<T> Ignore<T>(Func<Task<T>> action, T fallback = default!)
    {
        try
        {
            return await action();
        }
        catch (Exception failure) when (failure is ApiException or OperationCanceledException or ObjectDisposedException)
        {
            // Pod or node deleted, or the server is stopping: nothing more to simulate.
            return fallback;
        }
    }
}
