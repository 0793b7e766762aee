using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Turns the allocator's view of one node into the declarative plan its agent applies.</summary>
public static class NodePlanBuilder
{
    /// <summary>
    /// The node's plan at <paramref name="generation"/>; workers in key order so equal states give equal plans. Devices
    /// are named by <paramref name="deviceUuid"/> of the GPU object name (the agent knows UUIDs), or by name when null.
    /// </summary>
    public static NodePlan Build(ClusterState state, string nodeName, long generation, Func<string, string>? deviceUuid = null)
    {
        var node = state.FindNode(nodeName);
        if (node is null)
        {
            return new NodePlan(nodeName, generation, []);
        }

        var allocations = node.Allocations
            .OrderBy(allocation => allocation.WorkerId, StringComparer.Ordinal)
            .Select(allocation => new PlannedAllocation(
                allocation.Request.Namespace,
                allocation.Request.Workload,
                allocation.Request.Worker,
                allocation.Request.Isolation,
                [.. allocation.Shares.Select(share => ToDeviceShare(state, share, deviceUuid))]))
            .ToArray();
        return new NodePlan(nodeName, generation, allocations);
    }

    private static PlannedDeviceShare ToDeviceShare(ClusterState state, GpuShare share, Func<string, string>? deviceUuid)
    {
        PlannedPartition? partition = null;
        if (share.Partition is { } placement
            && state.FindGpu(share.Gpu)?.Model.Mig?.FindProfile(placement.Profile) is { } profile)
        {
            partition = new PlannedPartition(profile.ProfileId, placement.Start);
        }

        return new PlannedDeviceShare(
            deviceUuid?.Invoke(share.Gpu) ?? share.Gpu, share.Request.Tflops, share.Limit.Tflops, share.Request.VramBytes, share.Limit.VramBytes, partition);
    }
}
