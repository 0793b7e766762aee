using System.CommandLine;
using k8s;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.DevicePlugin;
using TensorFusion.Agent.DeviceDelivery.Dra;

namespace TensorFusion.Host.Cli;

/// <summary>The device-delivery flags of `tensorfusion agent` (docs/agent-protocol.md, "Device delivery").</summary>
internal sealed class AgentDeliveryFlags
{
    private readonly Option<bool?> _dra = new("--dra")
    {
        Description = "Serve the DRA kubelet plugin for gpu.tensor-fusion.ai (Kubernetes >= 1.34). Default: on when the agent has a cluster (--kubeconfig or in-cluster)",
    };

    private readonly Option<bool> _devicePlugin = new("--device-plugin")
    {
        Description = "Serve the tensor-fusion.ai/index_<k> device plugins (clusters without DRA; upstream-compatible)",
    };

    private readonly Option<bool> _devicePluginCdi = new("--device-plugin-cdi")
    {
        Description = "Device plugin answers with CDI device names (false: NVIDIA_VISIBLE_DEVICES + mounts, for runtimes without CDI)",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _cdiDir = new("--cdi-dir") { Description = "Where the per-worker CDI specs go", DefaultValueFactory = _ => "/var/run/cdi" };

    private readonly Option<string> _limiterDir = new("--limiter-dir")
    {
        Description = "Host directory the limiter library and ld.so.preload are installed into (mounted read-only into workers)",
        DefaultValueFactory = _ => "/var/lib/tensor-fusion/limiter",
    };

    private readonly Option<string?> _limiterLibrary = new("--limiter-library")
    {
        Description = "libtfshim.so to install into --limiter-dir at start (default: the one next to this executable, if any)",
    };

    private readonly Option<string> _pluginDir = new("--dra-plugin-dir")
    {
        Description = "Directory of the DRA plugin socket (dra.sock)", DefaultValueFactory = _ => DraDriver.DefaultPluginDirectory,
    };

    private readonly Option<string> _registryDir = new("--plugin-registry-dir")
    {
        Description = "The kubelet's plugin registry (the registration socket goes here)", DefaultValueFactory = _ => DraDriver.DefaultRegistryDirectory,
    };

    private readonly Option<string> _devicePluginDir = new("--device-plugin-dir")
    {
        Description = "The kubelet's device-plugin directory (kubelet.sock lives here)", DefaultValueFactory = _ => DevicePluginServer.DefaultDirectory,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _dra, _devicePlugin, _devicePluginCdi, _cdiDir, _limiterDir, _limiterLibrary, _pluginDir, _registryDir, _devicePluginDir })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The delivery options, or null when neither front end is on (a standalone agent has no kubelet).</summary>
    public DeviceDeliveryOptions? Build(ParseResult parseResult, IKubernetes? kubernetes, string nodeName)
    {
        var dra = parseResult.GetValue(_dra) ?? kubernetes is not null;
        var devicePlugin = parseResult.GetValue(_devicePlugin);
        if (!dra && !devicePlugin)
        {
            return null;
        }

        var bundled = Path.Combine(AppContext.BaseDirectory, DeliveryPaths.LimiterLibraryFileName);
        return new DeviceDeliveryOptions
        {
            Dra = dra,
            DevicePlugin = devicePlugin,
            DevicePluginCdi = parseResult.GetValue(_devicePluginCdi),
            CdiDirectory = parseResult.GetValue(_cdiDir)!,
            LimiterDirectory = parseResult.GetValue(_limiterDir)!,
            LimiterLibrarySource = parseResult.GetValue(_limiterLibrary) ?? (File.Exists(bundled) ? bundled : null),
            PluginDirectory = parseResult.GetValue(_pluginDir)!,
            RegistryDirectory = parseResult.GetValue(_registryDir)!,
            DevicePluginDirectory = parseResult.GetValue(_devicePluginDir)!,
            Resolver = kubernetes is null ? new ClaimNaming() : new KubernetesWorkerResolver(kubernetes),
            WorkerIndex = kubernetes is null ? null : new KubernetesWorkerIndex(kubernetes, nodeName),
            Slices = kubernetes is null ? null : new ResourceSlicePublisher(kubernetes, nodeName),
        };
    }
}
