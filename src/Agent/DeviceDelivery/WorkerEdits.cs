namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// Everything one worker's container needs from the node, independent of the front end: its GPUs (as NVIDIA CDI
/// devices), the environment and the mounts (limiter library, <c>/etc/ld.so.preload</c>, its accounting region).
/// DRA and the device plugin both hand these to the kubelet; <see cref="Cdi.WorkerCdiSpec"/> writes them as a spec.
/// </summary>
public sealed record WorkerEdits(
    string Namespace,
    string Worker,
    IReadOnlyList<DeliveredGpu> Gpus,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyList<EditMount> Mounts,
    bool LimiterDisabled)
{
    /// <summary>The worker's key, <c>namespace_worker</c>, as its limits and region files are named.</summary>
    public string WorkerKey => Gpu.Plans.PlannedAllocation.KeyOf(Namespace, Worker);

    /// <summary>The CDI device ids a runtime needs: NVIDIA's device of every GPU, then the worker's own device.</summary>
    public IReadOnlyList<string> CdiDeviceIds() =>
        [.. Gpus.Select(gpu => gpu.CdiName), Cdi.CdiNames.WorkerDevice(WorkerKey)];
}
