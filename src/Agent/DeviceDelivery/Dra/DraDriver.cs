namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>The DRA driver's fixed names and the kubelet's default directories.</summary>
public static class DraDriver
{
    public const string Name = "gpu.tensor-fusion.ai";

    /// <summary>What the registration socket answers as the plugin type.</summary>
    public const string PluginType = "DRAPlugin";

    /// <summary>The DRAPlugin service version served (k8s.io/kubelet/pkg/apis/dra/v1).</summary>
    public const string ServiceVersion = "v1.DRAPlugin";

    public const string DefaultPluginDirectory = "/var/lib/kubelet/plugins/" + Name;
    public const string DefaultRegistryDirectory = "/var/lib/kubelet/plugins_registry";

    public const string PluginSocketName = "dra.sock";
    public const string RegistrationSocketName = Name + "-reg.sock";

    /// <summary>
    /// A ResourceSlice device's name for the GPU with <paramref name="uuid"/> (also the device in prepare answers): the
    /// GPU object's name, which is what the operator writes into a claim's allocation results (docs/agent-protocol.md).
    /// </summary>
    public static string DeviceName(string uuid) => Registration.KubernetesNodeRegistrar.GpuObjectName(uuid);
}
