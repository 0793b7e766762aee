namespace TensorFusion.Agent.DeviceDelivery;

/// <summary>
/// Where device delivery reads and writes on the host, and where things appear inside a worker's container. Host
/// paths are what the container runtime on the host opens, so the agent's DaemonSet mounts these directories at the
/// same paths (docs/operations.md).
/// </summary>
public sealed record DeliveryPaths
{
    /// <summary>Inside the container: the limiter library.</summary>
    public const string ContainerLimiterLibrary = "/usr/local/tensor-fusion/lib/libtfshim.so";

    /// <summary>Inside the container: the worker's accounting region (TF_SHIM_STATE points at it).</summary>
    public const string ContainerRegion = "/run/tensor-fusion/region";

    public const string ContainerPreload = "/etc/ld.so.preload";

    public const string LimiterLibraryFileName = "libtfshim.so";
    public const string PreloadFileName = "ld.so.preload";

    /// <summary>Transient CDI specs (<c>--cdi-dir</c>); the runtime reads <c>/var/run/cdi</c> after <c>/etc/cdi</c>.</summary>
    public string CdiDirectory { get; init; } = "/var/run/cdi";

    /// <summary>Host directory holding <c>libtfshim.so</c> and the <c>ld.so.preload</c> file naming it
    /// (<c>--limiter-dir</c>); the agent installs both there at start.</summary>
    public string LimiterDirectory { get; init; } = "/var/lib/tensor-fusion/limiter";

    /// <summary>Host directory of the workers' regions (<c>&lt;state-dir&gt;/limits</c>).</summary>
    public required string RegionDirectory { get; init; }

    public string LimiterLibraryHostPath => Path.Combine(LimiterDirectory, LimiterLibraryFileName);
    public string PreloadHostPath => Path.Combine(LimiterDirectory, PreloadFileName);
    public string RegionHostPath(string workerKey) => Path.Combine(RegionDirectory, workerKey + ".region");
}
