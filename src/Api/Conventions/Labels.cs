namespace TensorFusion.Api.Conventions;

/// <summary>Label keys the engine reads and writes (upstream names, so upstream manifests and tooling keep working).</summary>
public static class Labels
{
    public const string Prefix = TensorFusionApi.Group + "/";

    /// <summary>Opt-in label on pods the admission webhook handles (<c>"true"</c>).</summary>
    public const string Enabled = Prefix + "enabled";

    /// <summary>Role of a pod; values in <see cref="ComponentValues"/>.</summary>
    public const string Component = Prefix + "component";

    /// <summary>Name of the TensorFusionWorkload a worker pod belongs to (same namespace).</summary>
    public const string Workload = Prefix + "workload";

    /// <summary>status.podTemplateHash the worker pod was created from; outdated workers are rebuilt.</summary>
    public const string PodTemplateHash = Prefix + "pod-template-hash";

    /// <summary>Pool of a GPU, GPU node or workload.</summary>
    public const string GpuPool = Prefix + "gpupool";

    public const string WorkerName = Prefix + "worker-name";

    /// <summary>On a GPU: the GPUNode that owns it.</summary>
    public const string ManagedBy = Prefix + "managed-by";

    /// <summary>Node label prefix marking pool membership: <c>tensor-fusion.ai/pool-&lt;name&gt;=true</c>.</summary>
    public const string PoolMembershipPrefix = Prefix + "pool-";

    public const string NodeSelectorHash = Prefix + "node-selector-hash";

    public const string HardwareVendor = Prefix + "hardware-vendor";

    /// <summary><c>auto</c> asks for a host port, named by <see cref="PortName"/>.</summary>
    public const string HostPort = Prefix + "host-port";

    public const string PortName = Prefix + "port-name";

    public const string DoNotDisrupt = Prefix + "do-not-disrupt";

    public const string ShouldDelete = Prefix + "should-delete";

    /// <summary>Read from a pod label: comma list of features to switch off (gpu-opt, mem-manager, gpu-limiter, start-worker).</summary>
    public const string DisableFeatures = Prefix + "disable-features";

    /// <summary>Builds the pool membership label of a node.</summary>
    public static string PoolMembership(string poolName) => PoolMembershipPrefix + poolName;
}
