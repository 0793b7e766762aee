using TensorFusion.Agent.DeviceDelivery.DevicePlugin;
using TensorFusion.Agent.DeviceDelivery.Dra;

namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>How the agent hands GPUs to worker containers (docs/agent-protocol.md, "Device delivery"). Defaults are
/// the kubelet's own directories; local mode and tests point everything under a state directory.</summary>
public sealed record DeviceDeliveryOptions
{
    /// <summary>Serve the DRA kubelet plugin (<c>--dra</c>, Kubernetes ≥ 1.34).</summary>
    public bool Dra { get; init; } = true;

    /// <summary>Serve the <c>index_&lt;k&gt;</c> device plugins (<c>--device-plugin</c>, older clusters).</summary>
    public bool DevicePlugin { get; init; }

    /// <summary>Device plugin answers with CDI device names (<c>--device-plugin-cdi</c>); off: env + mounts.</summary>
    public bool DevicePluginCdi { get; init; } = true;

    public string CdiDirectory { get; init; } = "/var/run/cdi";

    /// <summary>Host directory the limiter library and <c>ld.so.preload</c> are installed into.</summary>
    public string LimiterDirectory { get; init; } = "/var/lib/tensor-fusion/limiter";

    /// <summary><c>libtfshim.so</c> to install into <see cref="LimiterDirectory"/> at start (the image's copy); null
    /// installs nothing (the library is already there, or local mode where no container runs).</summary>
    public string? LimiterLibrarySource { get; init; }

    public string PluginDirectory { get; init; } = DraDriver.DefaultPluginDirectory;
    public string RegistryDirectory { get; init; } = DraDriver.DefaultRegistryDirectory;
    public string DevicePluginDirectory { get; init; } = DevicePluginServer.DefaultDirectory;

    /// <summary>Who a claim belongs to and whether the limiter is off; the name convention when there is no cluster.</summary>
    public IWorkerResolver Resolver { get; init; } = new ClaimNaming();

    /// <summary>Finds the worker of a pod index (device plugin); required with <see cref="DevicePlugin"/>.</summary>
    public IWorkerIndex? WorkerIndex { get; init; }

    /// <summary>Publishes the node's ResourceSlice at every heartbeat (DRA with a cluster).</summary>
    public ResourceSlicePublisher? Slices { get; init; }

    /// <summary>Problems that stop the agent from starting, each naming the flag to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Dra)
        {
            AddSocketProblem(errors, "--dra-plugin-dir", Path.Combine(Path.GetFullPath(PluginDirectory), DraDriver.PluginSocketName));
            AddSocketProblem(errors, "--plugin-registry-dir", Path.Combine(Path.GetFullPath(RegistryDirectory), DraDriver.RegistrationSocketName));
        }

        if (DevicePlugin)
        {
            AddSocketProblem(errors, "--device-plugin-dir", Path.Combine(Path.GetFullPath(DevicePluginDirectory), IndexResources.SocketName(15)));
            if (WorkerIndex is null)
            {
                errors.Add("--device-plugin: needs a cluster (--kubeconfig or in-cluster) to find a pod by its tensor-fusion.ai/index");
            }
        }

        if (LimiterLibrarySource is { } source && !File.Exists(source))
        {
            errors.Add($"--limiter-library: '{source}' does not exist");
        }

        return errors;
    }

    private static void AddSocketProblem(List<string> errors, string flag, string socket)
    {
        if (UnixSocketGrpcHost.SocketPathProblem(socket) is { } problem)
        {
            errors.Add($"{flag}: {problem}");
        }
    }
}
