using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TensorFusion.Pipelines.Operating;

/// <summary>How an embedded or stand-alone operator runs.</summary>
public sealed record OperatorOptions
{
    /// <summary>Compete for a Lease and write only while holding it.</summary>
    public bool LeaderElection { get; init; }

    public string LeaseName { get; init; } = "tensor-fusion-operator";

    public string LeaseNamespace { get; init; } = "kube-system";

    /// <summary>This process's name on the Lease (pod name + random suffix by default).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(63, Environment.MachineName.Length + 33)];

    /// <summary>client-go/controller-runtime defaults: 15 s, 10 s, 2 s (LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Reconciles run only after every cache has synced; longer than this fails start-up.</summary>
    public TimeSpan CacheSyncTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a graceful stop drains in-flight reconciles, the allocation batch being persisted and plan pushes before
    /// the Lease is released; below the pod's terminationGracePeriodSeconds (30 in deploy/base) so the release happens
    /// before the kubelet's SIGKILL.
    /// </summary>
    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxConcurrentReconciles { get; init; } = 4;

    public Informers.InformerOptions Informers { get; init; } = new();

    /// <summary>Where the operator reports what it could not do (failed reconciles with their keys and errors).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Place worker pods on GPUs and push node plans (off only for tests whose own binder places workers).</summary>
    public bool EnableAllocation { get; init; } = true;

    /// <summary>Batching and retry settings of the allocation pipeline.</summary>
    public Allocation.AllocationPipelineOptions Allocation { get; init; } = new();

    /// <summary>
    /// DRA delivery (Kubernetes 1.34+): every worker pod refers to its own ResourceClaim, which the allocator creates,
    /// allocates and reserves before it binds (docs/agent-protocol.md, "Device delivery"). Off here so embedding code and
    /// tests opt in; `tensorfusion operator --dra-claims` and `local` turn it on by default (false = device-plugin mode).
    /// </summary>
    public bool DraClaims { get; init; }

    /// <summary>Port of a node's agent, on the Node's InternalIP (https).</summary>
    public int AgentPort { get; init; } = 9090;

    /// <summary>
    /// Honour the agent-endpoint annotation agents write on their GPUNodes (local mode only, where agents share
    /// 127.0.0.1): off for `tensorfusion operator`, where only API-server-vouched addresses are used.
    /// </summary>
    public bool AgentEndpointAnnotation { get; init; }

    /// <summary>Time limit of one plan push.</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between retries of a plan an agent did not acknowledge.</summary>
    public TimeSpan AgentMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How the autoscaler runs while leading (it runs only when the operator is given an AutoscalingAccess).</summary>
    public Autoscaling.AutoscalingOptions Autoscaling { get; init; } = new();

    /// <summary>Null when valid; otherwise a message naming the setting (and its flag) to fix.</summary>
    public string? Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            return $"--leader-elect-lease-duration ({LeaseDuration.TotalSeconds:0.###} s) must be longer than --leader-elect-renew-deadline ({RenewDeadline.TotalSeconds:0.###} s)";
        }

        if (RenewDeadline.TotalSeconds <= 1.2 * RetryPeriod.TotalSeconds)
        {
            return $"--leader-elect-renew-deadline ({RenewDeadline.TotalSeconds:0.###} s) must be longer than 1.2 × --leader-elect-retry-period ({RetryPeriod.TotalSeconds:0.###} s)";
        }

        if (GracefulShutdownTimeout <= TimeSpan.Zero)
        {
            return "--graceful-shutdown-timeout must be positive";
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            return "--leader-elect-retry-period must be positive";
        }

        if (MaxConcurrentReconciles < 1)
        {
            return "--max-concurrent-reconciles must be at least 1";
        }

        if (AgentPort is < 1 or > 65535)
        {
            return $"--agent-port must be between 1 and 65535, got {AgentPort}";
        }

        if (AgentTimeout <= TimeSpan.Zero)
        {
            return "--agent-timeout must be positive";
        }

        if (Allocation.MaxBatchSize < 1 || Allocation.BatchWindow <= TimeSpan.Zero)
        {
            return "--allocation-batch-size must be at least 1 and --allocation-batch-window-ms positive";
        }

        if (Autoscaling.Validate() is { } autoscaling)
        {
            return autoscaling;
        }

        return string.IsNullOrWhiteSpace(LeaseName) ? "--leader-elect-lease-name must not be empty" : null;
    }
}
