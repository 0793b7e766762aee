namespace TensorFusion.Api.Conventions;

/// <summary>
/// Annotation keys. The resource annotations on worker pods (<see cref="GpuIds"/>, <see cref="TflopsRequest"/>, …) are
/// the durable record of allocations: after a restart the allocator is rebuilt from them.
/// </summary>
public static class Annotations
{
    private const string Prefix = Labels.Prefix;

    // User-facing inputs on pods, read by the admission webhook.
    public const string TflopsRequest = Prefix + "tflops-request";
    public const string TflopsLimit = Prefix + "tflops-limit";
    public const string VramRequest = Prefix + "vram-request";
    public const string VramLimit = Prefix + "vram-limit";
    public const string ComputePercentRequest = Prefix + "compute-percent-request";
    public const string ComputePercentLimit = Prefix + "compute-percent-limit";
    public const string GpuCount = Prefix + "gpu-count";
    public const string GpuIndices = Prefix + "gpu-indices";
    public const string GpuModel = Prefix + "gpu-model";
    public const string Vendor = Prefix + "vendor";
    public const string GpuPool = Prefix + "gpupool";
    public const string Qos = Prefix + "qos";
    public const string IsLocalGpu = Prefix + "is-local-gpu";
    public const string SidecarWorker = Prefix + "sidecar-worker";
    public const string Isolation = Prefix + "isolation";
    public const string PartitionId = Prefix + "partition-id";
    public const string DedicatedGpu = Prefix + "dedicated-gpu";
    public const string InjectContainer = Prefix + "inject-container";
    public const string WorkloadProfile = Prefix + "workload-profile";

    /// <summary>
    /// GPUNode annotation with the node agent's base URI (e.g. <c>https://127.0.0.1:34177/</c>), set at registration when
    /// the agent is told where it listens. The operator honours it only in local mode (docs/adr/0004-agent-addressing.md):
    /// the agent writes it itself, so elsewhere it would let a node redirect another node's plans.
    /// </summary>
    public const string AgentEndpoint = Prefix + "agent-endpoint";
    public const string Workload = Prefix + "workload";
    public const string WorkerPodTemplate = Prefix + "worker-pod-template";
    public const string Autoscale = Prefix + "autoscale";
    public const string AutoscaleTarget = Prefix + "autoscale-target";
    public const string EnabledReplicas = Prefix + "enabled-replicas";
    public const string GangEnabled = Prefix + "gang-enabled";
    public const string GangMinMembers = Prefix + "gang-min-members";
    public const string GangTimeout = Prefix + "gang-timeout";
    public const string EvictionProtection = Prefix + "eviction-protection";
    public const string ContainerGpuCount = Prefix + "container-gpu-count";

    // Written by the engine; users must not set them.
    /// <summary>Comma list of GPU names a worker is placed on.</summary>
    public const string GpuIds = Prefix + "gpu-ids";
    public const string EffectiveHardSmPercent = Prefix + "effective-hard-sm-percent";
    public const string Index = Prefix + "index";
    public const string ContainerGpus = Prefix + "container-gpus";
    public const string PartitionUuids = Prefix + "partition-uuids";
    public const string GangDesiredMembers = Prefix + "gang-desired-members";
    public const string GangRequiredMembers = Prefix + "gang-required-members";
    public const string GangGroupKey = Prefix + "gang-group-key";
    public const string EmbeddedWorker = Prefix + "embedded-worker";
    public const string DedicatedWorker = Prefix + "dedicated-worker";
    public const string SelectedWorkload = Prefix + "selected-workload";
    public const string PendingOwnedWorkload = Prefix + "pending-owned-workload";
    public const string PortNumber = Prefix + "port-number";

    /// <summary>
    /// On an autoscaled workload: its usage histograms (JSON of an AggregateCheckpoint), so a restarted operator that
    /// reads agents directly (no Prometheus history) does not start from nothing. VPA keeps the same in its Checkpoint objects.
    /// </summary>
    public const string UsageCheckpoint = Prefix + "usage-checkpoint";

    /// <summary>On a workload: <c>dynamic</c> or <c>fixed</c> (see <see cref="WorkloadModeValues"/>).</summary>
    public const string WorkloadMode = Prefix + "workload-mode";
    public const string GpuReleased = Prefix + "gpu-released";
    public const string HourlyPricing = Prefix + "hourly-pricing";
    public const string LastSync = Prefix + "last-sync";
    public const string VirtualizationCapabilities = Prefix + "virtualization-capabilities";
    public const string GpuMissingSince = Prefix + "gpu-missing-since";
    public const string ProviderConfigHash = Prefix + "provider-config-hash";

    // Pool annotations.
    public const string IsDefaultPool = Prefix + "is-default-pool";
    public const string ManualCompaction = Prefix + "manual-compaction";
    public const string ProviderConfigRevisions = Prefix + "provider-config-revisions";
}
