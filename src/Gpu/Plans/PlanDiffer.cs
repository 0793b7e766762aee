using TensorFusion.Gpu.Devices;

namespace TensorFusion.Gpu.Plans;

/// <summary>
/// Computes the <see cref="PlanDiff"/> between a plan and the observed node. Partitions are matched by
/// (GPU, profile, placement start): an existing instance that the plan wants is kept whoever created it, any
/// other instance is destroyed, so a half-done change is rolled forward when it matches the plan and back when
/// it does not. Limits are matched by worker key and compared by value.
/// </summary>
public static class PlanDiffer
{
    public static PlanDiff Diff(NodePlan plan, ObservedNodeState observed, Func<DeviceInfo, double> deviceTflops)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(deviceTflops);
        var devices = observed.Devices.ToDictionary(d => d.Uuid, StringComparer.Ordinal);
        var unplaceable = new List<AllocationStatus>();
        var desiredPartitions = new Dictionary<(string Gpu, int Profile, int Start), string>();
        var desiredLimits = new Dictionary<string, IReadOnlyList<WorkerLimits>>(StringComparer.Ordinal);

        foreach (var allocation in plan.Allocations)
        {
            var reason = UnplaceableReason(allocation, devices, desiredPartitions);
            if (reason is not null)
            {
                unplaceable.Add(new AllocationStatus(allocation.Namespace, allocation.Worker, AllocationState.Failed, reason));
                continue;
            }

            foreach (var share in allocation.Devices)
            {
                if (share.Partition is { } p)
                {
                    desiredPartitions[(share.GpuUuid, p.ProfileId, p.PlacementStart)] = allocation.WorkerKey();
                }
            }

            desiredLimits[allocation.WorkerKey()] = LimitsOf(allocation, devices, deviceTflops);
        }

        var observedKeys = observed.Partitions.ToDictionary(p => (p.GpuUuid, p.ProfileId, p.PlacementStart));
        var destroy = observed.Partitions
            .Where(p => !desiredPartitions.ContainsKey((p.GpuUuid, p.ProfileId, p.PlacementStart)))
            .Select(p => new PartitionChange(p.GpuUuid, p.ProfileId, p.PlacementStart, p.GpuInstanceId))
            .ToArray();
        var create = desiredPartitions
            .Where(kv => !observedKeys.ContainsKey(kv.Key))
            .Select(kv => new PartitionChange(kv.Key.Gpu, kv.Key.Profile, kv.Key.Start, OwnerKey: kv.Value))
            .OrderBy(c => c.GpuUuid, StringComparer.Ordinal).ThenBy(c => c.PlacementStart)
            .ToArray();
        var enableMig = desiredPartitions.Keys.Select(k => k.Gpu).Distinct()
            .Where(gpu => !devices[gpu].MigEnabled)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var write = desiredLimits
            .Where(kv => !observed.Limits.TryGetValue(kv.Key, out var current) || !current.SequenceEqual(kv.Value))
            .Select(kv => new LimitChange(kv.Key, kv.Value))
            .OrderBy(c => c.WorkerKey, StringComparer.Ordinal)
            .ToArray();
        var remove = observed.Limits.Keys.Where(key => !desiredLimits.ContainsKey(key)).Order(StringComparer.Ordinal).ToArray();
        return new PlanDiff(destroy, enableMig, create, write, remove, unplaceable);
    }

    private static string? UnplaceableReason(
        PlannedAllocation allocation,
        Dictionary<string, DeviceInfo> devices,
        Dictionary<(string Gpu, int Profile, int Start), string> claimed)
    {
        foreach (var share in allocation.Devices)
        {
            if (!devices.TryGetValue(share.GpuUuid, out var device))
            {
                return $"GPU {share.GpuUuid} is not present on this node";
            }

            if (share.Partition is { } p)
            {
                if (!device.MigCapable)
                {
                    return $"GPU {share.GpuUuid} ({device.Model}) does not support MIG partitions";
                }

                if (claimed.TryGetValue((share.GpuUuid, p.ProfileId, p.PlacementStart), out var owner))
                {
                    return $"partition profile {p.ProfileId} at start {p.PlacementStart} on {share.GpuUuid} is already planned for {owner}";
                }
            }
        }

        return null;
    }

    private static WorkerLimits[] LimitsOf(
        PlannedAllocation allocation, Dictionary<string, DeviceInfo> devices, Func<DeviceInfo, double> deviceTflops) =>
        allocation.Devices.Select(share =>
        {
            var tflops = deviceTflops(devices[share.GpuUuid]);
            return new WorkerLimits(share.GpuUuid, allocation.Isolation,
                ComputeShare.ToPercent(share.TflopsRequest, tflops), ComputeShare.ToPercent(share.TflopsLimit, tflops),
                share.VramRequestBytes, share.VramLimitBytes);
        }).ToArray();
}
