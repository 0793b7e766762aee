using System.Threading.Tasks.Dataflow;
using k8s.Models;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// How workers enter and leave: the allocation controller takes pod keys from its de-duplicating queue, reads each pod's
/// current version from the cache and offers it here (pending) or reports it gone (deleted, finished). What a worker
/// needs is read from the pod alone, at decision time.
/// </summary>
public sealed partial class AllocationPipeline
{
    /// <summary>
    /// The current version of a pending worker pod. Queued unless it is already queued, placed, or waiting with this very
    /// pod (an update such as the pipeline's own unschedulable report leaves it waiting: capacity changes retry it).
    /// A pod with a new UID under a placed or waiting worker's name is a replacement: the predecessor's GPUs are freed
    /// and the new pod is decided afresh.
    /// </summary>
    public async Task OfferAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var workerId = ObjectKey.Of(pod.Metadata).ToString();
        var uid = pod.Metadata?.Uid;
        string? freedNode = null;
        lock (_gate)
        {
            if (_engine.State.Allocations.ContainsKey(workerId))
            {
                if (!_placedUids.TryGetValue(workerId, out var placedUid) || placedUid == uid)
                {
                    return;
                }

                freedNode = _engine.Allocator.Release(workerId)?.Node;
                _placedUids.Remove(workerId);
            }
            else if (_parked.TryGetValue(workerId, out var parked) && parked.Pod.Metadata?.Uid == uid)
            {
                return;
            }
        }

        await NodeFreedAsync(freedNode, cancellationToken);
        await SubmitAsync(pod, cancellationToken);
    }

    /// <summary>A worker pod was deleted or finished: frees its GPUs, updates its node's plan and status, and retries waiting workers.</summary>
    public async Task WorkerGoneAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var workerId = new ObjectKey(@namespace, name).ToString();
        string? node;
        lock (_gate)
        {
            _parked.Remove(workerId);
            _placedUids.Remove(workerId);
            node = _engine.Allocator.Release(workerId)?.Node;
        }

        await NodeFreedAsync(node, cancellationToken);
    }

    /// <summary>A released worker's node (null when nothing was held): its new plan goes out and the waiting are retried.</summary>
    private async Task NodeFreedAsync(string? node, CancellationToken cancellationToken)
    {
        if (node is not null)
        {
            PublishNodes(new HashSet<string>(StringComparer.Ordinal) { node });
            await CapacityChangedAsync(null, cancellationToken);
        }
    }

    /// <summary>Queues a pending worker (a waiting one is tried again); one already queued or placed is ignored. Awaits room in the batcher.</summary>
    internal async Task<bool> SubmitAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var workerId = ObjectKey.Of(pod.Metadata).ToString();
        PendingWorker worker;
        lock (_gate)
        {
            if (_queued.ContainsKey(workerId) || _engine.State.Allocations.ContainsKey(workerId))
            {
                return false;
            }

            worker = new PendingWorker(pod, workerId, _parked.Remove(workerId, out var parked) ? parked.SeenAt : _time.GetUtcNow());
            _queued[workerId] = worker;
        }

        if (await _batcher.SendAsync(worker, cancellationToken))
        {
            return true;
        }

        lock (_gate)
        {
            _queued.Remove(workerId);
        }

        return false;
    }
}
