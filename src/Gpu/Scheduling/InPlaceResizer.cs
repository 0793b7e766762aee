using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Quotas;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// Changes a placed worker's request and limit on the GPUs it already holds: release, check capacity, virtual capacity
/// and quota, then apply; on any failure the old allocation is put back unchanged.
/// </summary>
internal static class InPlaceResizer
{
    public static ResizeResult Resize(ClusterState state, QuotaLedger quotas, string workerId, GpuResources request, GpuResources limit)
    {
        if (!state.Allocations.TryGetValue(workerId, out var old))
        {
            return ResizeResult.Failed(null, $"worker {workerId} has no allocation to resize");
        }

        if (old.Request.Isolation is IsolationMode.Partitioned or IsolationMode.Shared)
        {
            return ResizeResult.Failed(old, $"worker {workerId} uses {old.Request.Isolation.ToString().ToLowerInvariant()} isolation; its share is fixed");
        }

        var resized = old.Request with { Request = request, Limit = limit, ComputePercentRequest = null, ComputePercentLimit = null };
        state.Release(workerId);
        quotas.Remove(old.Request);

        var error = quotas.Check(resized);
        var shares = new List<GpuShare>(old.Shares.Count);
        foreach (var share in old.Shares)
        {
            if (error is not null)
            {
                break;
            }

            var gpu = state.FindGpu(share.Gpu);
            if (gpu is null)
            {
                error = $"GPU {share.Gpu} of worker {workerId} is no longer in the inventory";
                break;
            }

            var take = resized.RequestOn(gpu.Capacity);
            var burst = resized.LimitOn(gpu.Capacity);
            if (!take.FitsWithin(gpu.Available))
            {
                error = $"GPU {gpu.Name} has {gpu.Available} available; worker {workerId} asks for {take}";
            }
            else if (!(gpu.LimitsAllocated + burst).FitsWithin(gpu.VirtualCapacity))
            {
                error = $"GPU {gpu.Name}: limits would reach {gpu.LimitsAllocated + burst}, over the virtual capacity {gpu.VirtualCapacity}";
            }
            else
            {
                shares.Add(share with { Request = take, Limit = burst });
            }
        }

        if (error is not null)
        {
            state.Apply(old);
            quotas.Add(old.Request);
            return ResizeResult.Failed(old, error);
        }

        var updated = old with { Request = resized, Shares = shares };
        state.Apply(updated);
        quotas.Add(resized);
        return new ResizeResult(true, updated, null);
    }
}
