using System.Security.Cryptography;
using System.Text;
using k8s;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.Dra;

namespace TensorFusion.Host.Local;

/// <summary>
/// Device delivery of a simulated node: the DRA plugin's sockets, the CDI specs and the limiter files under the node
/// agent's state directory, so the embedded control plane's simulated kubelet can prepare claims as a real kubelet
/// does. The GPUNode annotation <see cref="RegistrationSocketAnnotation"/> says where the registration socket is.
/// </summary>
internal static class LocalDelivery
{
    /// <summary>GPUNode annotation (local mode only): absolute path of the node agent's DRA registration socket.</summary>
    public const string RegistrationSocketAnnotation = "tensor-fusion.ai/dra-registration-socket";

    /// <summary>GPUNode annotation (local mode only): the directory of the agent's CDI specs, where the simulated
    /// kubelet resolves <c>tensor-fusion.ai/worker=…</c> names as a runtime would.</summary>
    public const string CdiDirectoryAnnotation = "tensor-fusion.ai/cdi-dir";

    public static DeviceDeliveryOptions Options(string agentStateDirectory, string nodeName, IKubernetes client)
    {
        var state = Path.GetFullPath(agentStateDirectory);
        var sockets = SocketRoot(state);
        return new DeviceDeliveryOptions
        {
            Dra = true,
            CdiDirectory = Path.Combine(state, "cdi"),
            LimiterDirectory = Path.Combine(state, "limiter"),
            PluginDirectory = Path.Combine(sockets, "plugins", DraDriver.Name),
            RegistryDirectory = Path.Combine(sockets, "plugins_registry"),
            Resolver = new KubernetesWorkerResolver(client),
            Slices = new ResourceSlicePublisher(client, nodeName),
        };
    }

    /// <summary>
    /// What the simulated kubelet of the node reads (its Node's annotations): the agent's plugin registry and CDI
    /// directories, and NVIDIA's CDI kind as one the simulated runtime stands in for (no NVIDIA toolkit writes
    /// nvidia.yaml on a simulated node).
    /// </summary>
    public static LocalCluster.Controllers.Dra.SimulatedKubeletPaths KubeletPaths(string agentStateDirectory)
    {
        var state = Path.GetFullPath(agentStateDirectory);
        return new(Path.Combine(SocketRoot(state), "plugins_registry"), [Path.Combine(state, "cdi")], [Agent.DeviceDelivery.Cdi.CdiNames.NvidiaGpuKind]);
    }

    public static IReadOnlyDictionary<string, string> Annotations(DeviceDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Dictionary<string, string>
        {
            [RegistrationSocketAnnotation] = Path.Combine(options.RegistryDirectory, DraDriver.RegistrationSocketName),
            [CdiDirectoryAnnotation] = options.CdiDirectory,
        };
    }

    /// <summary>The agent's state directory, unless its socket paths would pass the 107-byte Unix limit; then a short
    /// directory under /tmp named after a hash of the state directory (stable across restarts of the same state).</summary>
    private static string SocketRoot(string state)
    {
        var longest = Path.Combine(state, "plugins", DraDriver.Name, DraDriver.PluginSocketName);
        if (UnixSocketGrpcHost.SocketPathProblem(longest) is null)
        {
            return state;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)))[..12];
        return Path.Combine(Path.GetTempPath(), $"tf-{hash}");
    }
}
