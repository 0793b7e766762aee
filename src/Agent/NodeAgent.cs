using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Native.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Applying;
using TensorFusion.Agent.Auth;
using TensorFusion.Agent.Checkpoint;
using TensorFusion.Agent.Health;
using TensorFusion.Agent.Http;
using TensorFusion.Agent.Metrics;

namespace TensorFusion.Agent;

/// <summary>
/// One node agent: the device, the crash-safe plan applier, health tracking, Prometheus metrics and the
/// authenticated HTTP API on its own Kestrel listener. Embeddable: local mode starts several in one process.
/// </summary>
public sealed partial class NodeAgent : IAsyncDisposable
{
    private readonly AgentOptions _options;
    private readonly IAcceleratorDevice _device;
    private readonly bool _ownsDevice;
    private readonly GpuHealthTracker _health = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt;
    private WebApplication? _app;
    private Task _loops = Task.CompletedTask;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private string _lastUnhealthy = "";

    private NodeAgent(AgentOptions options, IAcceleratorDevice device, bool ownsDevice, NodePlanApplier applier)
    {
        _options = options;
        _device = device;
        _ownsDevice = ownsDevice;
        _startedAt = options.TimeProvider.GetUtcNow();
        Applier = applier;
        Metrics = new AgentMetrics(options.NodeName, options.Pool);
        var liveness = new Limiting.ProcSlotLiveness(options.ProcRoot);
        Limiter = new Limiting.WorkerLimiter(Path.Combine(options.StateDirectory, "limits"), options.TimeProvider, liveness.IsAlive);
    }

    public string NodeName => _options.NodeName;
    public NodePlanApplier Applier { get; }

    /// <summary>Publishes GPU health and the GPUNode now instead of at the next heartbeat (after a simulated fault).</summary>
    public Task PublishNowAsync(CancellationToken cancellationToken) => PublishAsync(cancellationToken);

    /// <summary>The simulated device behind this agent, for fault injection in local mode; null on real hardware.</summary>
    public ISimulatedAccelerator? Simulator => _device as ISimulatedAccelerator;
    public AgentMetrics Metrics { get; }
    public RecoveryReport Recovery { get; private set; } = new(false, false, null, null);
    /// <summary>Where the agent listens: always https (the certificate names the node, not this address).</summary>
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1/");

    /// <summary>Opens the device, recovers from the checkpoint, then starts serving and the background loops.</summary>
    public static async Task<NodeAgent> StartAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid agent options: {string.Join("; ", errors)}", nameof(options));
        }

        Directory.CreateDirectory(options.StateDirectory);
        var limits = Path.Combine(options.StateDirectory, "limits");
        var device = options.Device ?? (options.Backend == AgentBackend.Nvml
            ? NativeAcceleratorDevice.OpenNvml(limits, options.NvmlLibraryPath)
            : NativeAcceleratorDevice.OpenSimulator(options.Simulator!, limits));
        var applier = new NodePlanApplier(device, new AgentCheckpointStore(Path.Combine(options.StateDirectory, "checkpoint.json")),
            options.NodeName, BootId.Read(options.BootIdPath), options.DeviceTflops, options.FaultHook);
        var agent = new NodeAgent(options, device, ownsDevice: options.Device is null, applier);
        try
        {
            await agent.StartServingAsync(cancellationToken);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>Handles a plan push (the HTTP endpoint's body, callable directly when embedded).</summary>
    public NodePlanStatus ApplyPlan(NodePlan plan)
    {
        var status = Applier.Apply(plan);
        SyncRegions();
        ReconcileDelivery();
        Metrics.RecordApply(status);
        LogPlanHandled(_logger, plan.Generation, status.Result, status.Message ?? "");
        return status;
    }

    /// <summary>Reads the device and folds the reading into health tracking.</summary>
    public IReadOnlyList<GpuHealthState> RefreshHealth() => Snapshot().Gpus;

    /// <summary>Re-renders every GPU and worker series from a fresh reading of the device.</summary>
    public void RefreshMetrics() => Metrics.Update(Snapshot());

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        await StopDeliveryAsync();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        await _options.ServingCertificate.DisposeAsync();
        Limiter.Dispose();
        if (_ownsDevice)
        {
            _device.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task StartServingAsync(CancellationToken cancellationToken)
    {
        // The certificate first: an agent never listens without one (it may wait here for the operator's signer).
        var certificates = _options.ServingCertificate;
        await certificates.StartAsync(cancellationToken);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(NodeAgent).Assembly.GetName().Name });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Asked on every handshake, so a renewed certificate is served at once, without a restart.
            kestrel.Listen(_options.BindAddress, _options.Port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => certificates.Current,
                SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            }));
            kestrel.Limits.MaxRequestBodySize = AgentEndpoints.MaxPlanBytes;
            kestrel.AddServerHeader = false;
        });
        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger($"TensorFusion.Agent.{_options.NodeName}");
        Recovery = Applier.Recover();
        if (Recovery.HadCheckpoint)
        {
            LogRecovered(_logger, Recovery.Rebooted, Recovery.InterruptedAction ?? "none", Recovery.Outcome ?? "nothing to do");
        }

        Metrics.RecordGeneration(Applier.Status.ObservedGeneration);
        if (_options.MetricsAuthorizer is { } metricsAuthorizer)
        {
            _app.UseMiddleware<MetricsAuthorizationMiddleware>(_options.TokenChecker, metricsAuthorizer);
        }

        _app.UseMiddleware<BearerTokenMiddleware>(_options.TokenChecker, _options.AnonymousMetrics || _options.MetricsAuthorizer is not null);
        AgentEndpoints.Map(_app, this);
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        await PublishAsync(cancellationToken);
        Metrics.RecordHeartbeat(_options.TimeProvider.GetUtcNow());
        SyncRegions();
        await StartDeliveryAsync(cancellationToken);
        _loops = Task.WhenAll(RunReconcileLoopAsync(_stopping.Token), RunHeartbeatLoopAsync(_stopping.Token), RunLimiterLoopAsync(_stopping.Token));
    }

    private AgentSnapshot Snapshot()
    {
        var (devices, metrics, processes) = ReadUsage();
        return new AgentSnapshot(_health.Observe(devices, metrics), metrics, processes, Applier.CurrentPlan, _options.DeviceTflops);
    }

    /// <summary>Devices, their metrics and the attributed processes, read now (the simulator first moved to the agent's clock).</summary>
    private (IReadOnlyList<DeviceInfo> Devices, Dictionary<int, DeviceMetrics> Metrics, IReadOnlyList<ProcessUsage> Processes) ReadUsage()
    {
        if (_ownsDevice && _device is ISimulatedAccelerator simulator)
        {
            // The simulator's load models run on the agent's clock (FakeTimeProvider in tests).
            simulator.SetTime((long)(_options.TimeProvider.GetUtcNow() - _startedAt).TotalMilliseconds);
        }

        var devices = _device.ListDevices();
        var metrics = new Dictionary<int, DeviceMetrics>();
        foreach (var device in devices)
        {
            try
            {
                metrics[device.Index] = _device.GetMetrics(device.Index);
            }
            catch (AcceleratorException e) when (e.Error is AcceleratorError.GpuLost or AcceleratorError.NotFound)
            {
                // Lost between the listing and the read: the health tracker reports it on the next listing.
            }
        }

        var processes = _device.ListProcesses();
        if (_options.Attributor is { } attributor)
        {
            processes = attributor.Attribute(processes);
        }

        return (devices, metrics, processes);
    }
}
