using System.Net;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Checkpoint;
using TensorFusion.Agent.Registration;

namespace TensorFusion.Agent;

/// <summary>Everything one node agent needs. Local mode builds one per simulated node.</summary>
public sealed record AgentOptions
{
    public required string NodeName { get; init; }

    /// <summary>Holds checkpoint.json and limits/ (the limiter files the in-container runtime reads).</summary>
    public required string StateDirectory { get; init; }

    public required IBearerTokenChecker TokenChecker { get; init; }

    /// <summary>
    /// The TLS certificate the agent serves with (it never serves plain HTTP): from the CSR API in a cluster and in local
    /// mode (<see cref="Tls.CsrServingCertificate"/>), or given (<see cref="Tls.StaticServingCertificate"/>). The agent
    /// starts it before listening and disposes it when it stops.
    /// </summary>
    public required Tls.IServingCertificateSource ServingCertificate { get; init; }

    public string Pool { get; init; } = "default";

    public AgentBackend Backend { get; init; } = AgentBackend.Simulator;

    /// <summary>Required with <see cref="AgentBackend.Simulator"/> unless <see cref="Device"/> is given.</summary>
    public SimulatorOptions? Simulator { get; init; }

    /// <summary>A device the caller owns (tests share one simulator across agent restarts); the agent never disposes it.</summary>
    public IAcceleratorDevice? Device { get; init; }

    /// <summary>libnvidia-ml.so.1 to load instead of the loader's default (NVML backend only).</summary>
    public string? NvmlLibraryPath { get; init; }

    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; read the bound address from <see cref="NodeAgent.BaseAddress"/>.</summary>
    public int Port { get; init; }

    /// <summary>Serve /metrics without a token (for a Prometheus that cannot send one).</summary>
    public bool AnonymousMetrics { get; init; }

    /// <summary>
    /// When set (--metrics-auth), /metrics needs a token whose user may "get" /metrics by the cluster's RBAC
    /// (TokenReview + SubjectAccessReview), or the plan-push token (the operator's autoscaler scrape); wins over
    /// <see cref="AnonymousMetrics"/>.
    /// </summary>
    public Auth.DelegatedAuthorizer? MetricsAuthorizer { get; init; }

    /// <summary>How often pending allocations are retried and GPU health is checked.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the limiter heartbeats the workers' regions and refills their token buckets (200–500 ms).</summary>
    public TimeSpan LimiterInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Host /proc, to tell whether a region slot's process still runs (mounted read-only into the agent).</summary>
    public string ProcRoot { get; init; } = "/proc";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string BootIdPath { get; init; } = BootId.DefaultPath;

    /// <summary>Dense FP16 TFLOPs of a device when the driver does not say (NVML); see <see cref="CatalogTflops"/>.</summary>
    public Func<DeviceInfo, double> DeviceTflops { get; init; } = CatalogTflops.Of;

    /// <summary>Publishes GPUNode/GPU objects and heartbeats; null runs the agent without a cluster.</summary>
    public INodeRegistrar? Registrar { get; init; }

    /// <summary>Names the worker of each process the driver reports (NVML backend; the simulator names its own).</summary>
    public Attribution.ProcessAttributor? Attributor { get; init; }

    /// <summary>How GPUs reach worker containers (CDI specs, DRA plugin, device plugins); null: not at all.</summary>
    public DeviceDelivery.DeviceDeliveryOptions? Delivery { get; init; }

    /// <summary>Test hook: called at each fault point of every device change; throw to simulate a crash.</summary>
    public Action<AgentFaultPoint, CheckpointIntent>? FaultHook { get; init; }

    /// <summary>Problems that stop the agent from starting, each naming the flag to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            errors.Add("--node-name (NODE_NAME): required");
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            errors.Add("--state-dir: required");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"--port: {Port} is not a TCP port (0 picks a free one)");
        }

        if (Backend == AgentBackend.Simulator && Device is null && Simulator is null)
        {
            errors.Add("--simulate MODEL:COUNT: required with the simulator backend");
        }

        if (ReconcileInterval <= TimeSpan.Zero || HeartbeatInterval <= TimeSpan.Zero)
        {
            errors.Add("--reconcile-interval and --heartbeat-interval must be positive");
        }

        if (LimiterInterval < TimeSpan.FromMilliseconds(50) || LimiterInterval > TimeSpan.FromSeconds(1))
        {
            // The shim falls open after 2 s without a heartbeat: the limiter must tick well inside that.
            errors.Add($"--limiter-interval: {LimiterInterval.TotalMilliseconds} ms is outside 50–1000 ms");
        }

        if (Delivery is not null)
        {
            errors.AddRange(Delivery.Validate());
        }

        return errors;
    }
}
