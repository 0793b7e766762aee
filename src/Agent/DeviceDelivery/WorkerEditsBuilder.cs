using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Gpu.Requests;
using TensorFusion.Agent.DeviceDelivery.Cdi;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// Turns a worker of the node's plan into its container edits. Pure: the device listing and MIG instances come in as
/// arguments, so the same worker always yields the same edits (prepare is idempotent because of this).
/// </summary>
public static class WorkerEditsBuilder
{
    /// <summary>Names the worker inside the container (also makes the worker's CDI device never empty, which CDI forbids).</summary>
    public const string WorkerEnv = "TENSOR_FUSION_WORKER";

    /// <summary>The region the shim reads (docs/limiter.md, "Configuration").</summary>
    public const string ShimStateEnv = "TF_SHIM_STATE";

    /// <param name="allocation">The worker's entry in the node plan.</param>
    /// <param name="devices">The node's GPUs now.</param>
    /// <param name="migInstances">The MIG instances of a GPU, by device index.</param>
    /// <param name="limiterDisabled">The workload's kill switch (<c>disable-features: gpu-limiter</c>): no library,
    /// no preload, no region.</param>
    /// <param name="paths">Host and container paths.</param>
    /// <exception cref="DeliveryException">A planned GPU is not on the node, or its partition does not exist yet.</exception>
    public static WorkerEdits Build(
        PlannedAllocation allocation,
        IReadOnlyList<DeviceInfo> devices,
        Func<int, IReadOnlyList<MigInstance>> migInstances,
        bool limiterDisabled,
        DeliveryPaths paths)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(migInstances);
        ArgumentNullException.ThrowIfNull(paths);
        var gpus = allocation.Devices.Select(share => Deliver(allocation, share, devices, migInstances)).ToList();
        var env = new List<KeyValuePair<string, string>> { new(WorkerEnv, $"{allocation.Namespace}/{allocation.Worker}") };
        var mounts = new List<EditMount>();
        // A partitioned worker is isolated by its MIG instance; the limiter would only add overhead there.
        if (!limiterDisabled && allocation.Isolation != IsolationMode.Partitioned)
        {
            env.Add(new(ShimStateEnv, DeliveryPaths.ContainerRegion));
            mounts.Add(new EditMount(paths.LimiterLibraryHostPath, DeliveryPaths.ContainerLimiterLibrary, ReadOnly: true));
            mounts.Add(new EditMount(paths.PreloadHostPath, DeliveryPaths.ContainerPreload, ReadOnly: true));
            mounts.Add(new EditMount(paths.RegionHostPath(allocation.WorkerKey()), DeliveryPaths.ContainerRegion, ReadOnly: false));
        }

        return new WorkerEdits(allocation.Namespace, allocation.Worker, gpus, env, mounts, limiterDisabled);
    }

    private static DeliveredGpu Deliver(
        PlannedAllocation allocation,
        PlannedDeviceShare share,
        IReadOnlyList<DeviceInfo> devices,
        Func<int, IReadOnlyList<MigInstance>> migInstances)
    {
        var device = devices.FirstOrDefault(d => string.Equals(d.Uuid, share.GpuUuid, StringComparison.OrdinalIgnoreCase))
            ?? throw new DeliveryException($"worker {allocation.Namespace}/{allocation.Worker}: GPU {share.GpuUuid} is not on this node");
        if (share.Partition is not { } partition)
        {
            return new DeliveredGpu(device.Uuid, device.Index, device.Uuid, CdiNames.NvidiaDevice(device.Uuid));
        }

        var instance = migInstances(device.Index).FirstOrDefault(i => i.ProfileId == partition.ProfileId && i.PlacementStart == partition.PlacementStart)
            ?? throw new DeliveryException(
                $"worker {allocation.Namespace}/{allocation.Worker}: MIG instance (profile {partition.ProfileId}, start {partition.PlacementStart}) " +
                $"on GPU {device.Uuid} does not exist yet (plan still pending)");
        return new DeliveredGpu(device.Uuid, device.Index, instance.Uuid, CdiNames.NvidiaDevice(instance.Uuid));
    }
}
