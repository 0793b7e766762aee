namespace TensorFusion.Agent.DeviceDelivery.Cdi;

/// <summary>The transient CDI spec of one worker: kind <c>tensor-fusion.ai/worker</c>, one device named after the
/// worker carrying its environment and mounts. NVIDIA's own spec supplies the GPU itself (device nodes, driver
/// libraries), so nothing of the driver is re-discovered here.</summary>
public static class WorkerCdiSpec
{
    public static CdiSpec From(WorkerEdits edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var device = new CdiDevice(
            CdiNames.WorkerDeviceName(edits.WorkerKey),
            new CdiContainerEdits(
                edits.Env.Select(pair => $"{pair.Key}={pair.Value}").ToList(),
                edits.Mounts.Select(mount => new CdiMount(mount.HostPath, mount.ContainerPath, MountOptions(mount.ReadOnly))).ToList()));
        var spec = new CdiSpec("0.3.0", CdiNames.WorkerKind, [device]);
        return spec with { CdiVersion = CdiSpecRules.MinimumVersion(spec) };
    }

    // nosuid/nodev: nothing the worker gets from the host may raise privileges or expose devices.
    private static IReadOnlyList<string> MountOptions(bool readOnly) =>
        readOnly ? ["ro", "nosuid", "nodev", "bind"] : ["rw", "nosuid", "nodev", "bind"];
}
