using System.Collections.Concurrent;
using System.Threading.Channels;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers;

/// <summary>
/// The loop behind Deployments, ReplicaSets and Jobs: every change to one of them, or to a pod or ReplicaSet they
/// control, queues its controller's key; one reader reconciles keys in order, so each decision sees the writes of the
/// one before (no double creates). A key whose pods could not be created, or whose write conflicted, is queued again
/// every <see cref="RetryInterval"/> on the server's clock until it succeeds.
/// </summary>
public sealed class ReplicaControllers(ResourceOperations operations, ResourceRegistry registry, TimeProvider time)
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly DeploymentController _deployments = new(operations, registry);
    private readonly ReplicaSetController _replicaSets = new(operations, registry, time);
    private readonly JobController _jobs = new(operations, registry, time);
    private readonly ConcurrentDictionary<ObjectRef, bool> _retries = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = Channel.CreateUnbounded<ObjectRef>(new UnboundedChannelOptions { SingleReader = true });
        var (subscription, _) = operations.Store.Subscribe(null, null, initialState: false, change => KeysOf(change).Any());
        using (subscription)
        {
            foreach (var storageId in new[] { DeploymentController.StorageId, ReplicaSetController.StorageId, JobController.StorageId })
            {
                foreach (var stored in operations.Store.List(storageId, null, null).Items)
                {
                    queue.Writer.TryWrite(new ObjectRef(storageId, stored.Namespace, stored.Name));
                }
            }

            var feed = FeedAsync(subscription, queue.Writer, cancellationToken);
            var retry = RetryAsync(queue.Writer, cancellationToken);
            try
            {
                await foreach (var key in queue.Reader.ReadAllAsync(cancellationToken))
                {
                    if (await ReconcileAsync(key))
                    {
                        _retries.TryRemove(key, out _);
                    }
                    else
                    {
                        _retries[key] = true;
                    }
                }
            }
            finally
            {
                await feed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await retry.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <returns>False when the key should be tried again later.</returns>
    private async Task<bool> ReconcileAsync(ObjectRef key)
    {
        try
        {
            switch (key.StorageId)
            {
                case DeploymentController.StorageId:
                    await _deployments.ReconcileAsync(key.Namespace, key.Name);
                    return true;
                case ReplicaSetController.StorageId:
                    return await _replicaSets.ReconcileAsync(key.Namespace, key.Name);
                default:
                    return await _jobs.ReconcileAsync(key.Namespace, key.Name);
            }
        }
        catch (ApiException)
        {
            // A conflicting write or an object deleted mid-way: read everything again on the next attempt.
            return false;
        }
    }

    private static async Task FeedAsync(WatchSubscription subscription, ChannelWriter<ObjectRef> queue, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in subscription.Events.ReadAllAsync(cancellationToken))
            {
                foreach (var key in KeysOf(change))
                {
                    queue.TryWrite(key);
                }
            }
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private async Task RetryAsync(ChannelWriter<ObjectRef> queue, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RetryInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (var key in _retries.Keys)
            {
                queue.TryWrite(key);
            }
        }
    }

    /// <summary>The controller keys a change concerns: the object itself, and the controller of a pod or ReplicaSet.</summary>
    private static IEnumerable<ObjectRef> KeysOf(WatchEvent change)
    {
        var stored = change.Current!;
        switch (stored.StorageId)
        {
            case DeploymentController.StorageId or JobController.StorageId:
                yield return new ObjectRef(stored.StorageId, stored.Namespace, stored.Name);
                break;
            case ReplicaSetController.StorageId:
                yield return new ObjectRef(stored.StorageId, stored.Namespace, stored.Name);
                if (OwnedPods.ControllerOf(stored.Value) is { Kind: "Deployment" } deployment)
                {
                    yield return new ObjectRef(DeploymentController.StorageId, stored.Namespace, deployment.Name);
                }

                break;
            case "pods":
                var controller = OwnedPods.ControllerOf(stored.Value);
                if (controller is { Kind: "ReplicaSet" })
                {
                    yield return new ObjectRef(ReplicaSetController.StorageId, stored.Namespace, controller.Value.Name);
                }
                else if (controller is { Kind: "Job" })
                {
                    yield return new ObjectRef(JobController.StorageId, stored.Namespace, controller.Value.Name);
                }

                break;
        }
    }
}
