namespace TensorFusion.Gpu.Devices;

/// <summary>
/// Controls that only a simulated accelerator has: the caller's clock, processes with load models, and faults.
/// Time only moves forward.
/// </summary>
public interface ISimulatedAccelerator
{
    /// <summary>Sets the simulator's clock (milliseconds on the caller's time line, never decreasing).</summary>
    void SetTime(long nowMilliseconds);

    /// <summary>Starts a process on a device (inside a MIG instance when <paramref name="gpuInstanceId"/> is set).</summary>
    void StartProcess(int pid, int deviceIndex, int? gpuInstanceId, string workerId, LoadModel load);

    /// <summary>Stops a process; false when no such process runs.</summary>
    bool StopProcess(int pid);

    /// <summary>Marks a device healthy, failed with an Xid, or lost (gone from the bus).</summary>
    void InjectFault(int deviceIndex, DeviceHealth health, int xid = 0);
}
