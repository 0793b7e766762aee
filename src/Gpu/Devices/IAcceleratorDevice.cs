namespace TensorFusion.Gpu.Devices;

/// <summary>
/// The port to a node's accelerators: inventory, metrics, per-process usage, MIG partitions and per-worker limits.
/// Implementations are not required to be thread-safe beyond what they document; every call is synchronous and
/// quick (no call waits on the device for more than a driver round trip).
/// </summary>
/// <remarks>Failures are reported as <see cref="AcceleratorException"/> carrying an <see cref="AcceleratorError"/>;
/// callers branch on <see cref="AcceleratorError.InUse"/> (retry after the process exits) and
/// <see cref="AcceleratorError.GpuLost"/> (mark the GPU failed).</remarks>
public interface IAcceleratorDevice : IDisposable
{
    /// <summary>Devices currently present (lost devices are omitted).</summary>
    IReadOnlyList<DeviceInfo> ListDevices();

    /// <summary>Utilisation, memory, power, temperature and health of one device.</summary>
    DeviceMetrics GetMetrics(int deviceIndex);

    /// <summary>Every compute process on every present device.</summary>
    IReadOnlyList<ProcessUsage> ListProcesses();

    /// <summary>Turns MIG on or off; <see cref="AcceleratorError.InUse"/> unless the device is idle.</summary>
    void SetMigMode(int deviceIndex, bool enabled);

    /// <summary>The GPU-instance profiles of a MIG-capable device, with their valid placement starts.</summary>
    IReadOnlyList<MigProfile> ListMigProfiles(int deviceIndex);

    /// <summary>Creates a GPU instance (and one compute instance in it) of a profile at a placement start.</summary>
    MigInstance CreateMigInstance(int deviceIndex, int profileId, int placementStart);

    /// <summary>Destroys a GPU instance; <see cref="AcceleratorError.InUse"/> while a process runs in it.</summary>
    void DestroyMigInstance(int deviceIndex, int gpuInstanceId);

    /// <summary>The GPU instances that exist on a device.</summary>
    IReadOnlyList<MigInstance> ListMigInstances(int deviceIndex);

    /// <summary>Writes the limiter configuration of one worker (replaces what was there).</summary>
    void SetWorkerLimits(string workerId, IReadOnlyList<WorkerLimits> limits);

    /// <summary>Reads a worker's limiter configuration; empty when the worker has none.</summary>
    IReadOnlyList<WorkerLimits> GetWorkerLimits(string workerId);

    /// <summary>Removes a worker's limiter configuration; false when there was none.</summary>
    bool RemoveWorkerLimits(string workerId);

    /// <summary>Workers that have a limiter configuration.</summary>
    IReadOnlyList<string> ListLimitedWorkers();
}
