using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;

namespace TensorFusion.Agent.Applying;

/// <summary>Reads the node's actual state from the device port.</summary>
public static class DeviceObserver
{
    public static ObservedNodeState Observe(IAcceleratorDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var devices = device.ListDevices();
        var partitions = new List<ObservedPartition>();
        foreach (var gpu in devices.Where(d => d.MigCapable && d.MigEnabled))
        {
            partitions.AddRange(device.ListMigInstances(gpu.Index)
                .Select(i => new ObservedPartition(gpu.Uuid, i.GpuInstanceId, i.ProfileId, i.PlacementStart)));
        }

        var limits = new Dictionary<string, IReadOnlyList<WorkerLimits>>(StringComparer.Ordinal);
        foreach (var worker in device.ListLimitedWorkers())
        {
            try
            {
                limits[worker] = device.GetWorkerLimits(worker);
            }
            catch (AcceleratorException e) when (e.Error == AcceleratorError.Internal)
            {
                // A corrupt limits file reads as "no limits": the diff rewrites it if planned, removes it if not.
                limits[worker] = [];
            }
        }

        return new ObservedNodeState(devices, partitions, limits);
    }
}
