using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TensorFusion.Agent.DeviceDelivery.Dra;

/// <summary>
/// The agent as a DRA kubelet plugin for driver <c>gpu.tensor-fusion.ai</c>: the registration socket in the kubelet's
/// plugin registry (the kubelet finds it there, calls GetInfo, then dials the endpoint it names) and the DRAPlugin
/// service on <c>&lt;plugin-dir&gt;/dra.sock</c>. Both sockets serve both services; the kubelet uses each for its own.
/// </summary>
public sealed partial class DraPluginServer : IAsyncDisposable
{
    private readonly WorkerDelivery _delivery;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private long _failedClaims;

    public DraPluginServer(string nodeName, string pluginDirectory, string registryDirectory, WorkerDelivery delivery, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pluginDirectory);
        ArgumentNullException.ThrowIfNull(registryDirectory);
        NodeName = nodeName;
        PluginSocket = Path.GetFullPath(Path.Combine(pluginDirectory, DraDriver.PluginSocketName));
        RegistrationSocket = Path.GetFullPath(Path.Combine(registryDirectory, DraDriver.RegistrationSocketName));
        _delivery = delivery;
        _logger = logger;
    }

    public string NodeName { get; }
    public string PluginSocket { get; }
    public string RegistrationSocket { get; }

    /// <summary>The kubelet's last word on our registration: null before it spoke.</summary>
    public bool? Registered { get; private set; }

    /// <summary>Claims whose prepare failed (each is logged with its reason; the kubelet retries them).</summary>
    public long FailedClaims => Interlocked.Read(ref _failedClaims);

    /// <summary>Raised when the kubelet reports our registration status (tests await it).</summary>
    public event EventHandler<bool>? RegistrationStatusChanged;

    /// <exception cref="ArgumentException">A socket path is too long for a Unix socket.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = await UnixSocketGrpcHost.StartAsync(
            [PluginSocket, RegistrationSocket],
            services => services.AddSingleton(this).AddSingleton(_delivery),
            app =>
            {
                app.MapGrpcService<DraPluginService>();
                app.MapGrpcService<DraRegistrationService>();
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await UnixSocketGrpcHost.StopAsync(_app, [RegistrationSocket, PluginSocket]);
            _app = null;
        }
    }

    internal void OnRegistrationStatus(bool registered, string error)
    {
        Registered = registered;
        if (!registered)
        {
            LogRegistrationRefused(_logger, DraDriver.Name, error);
        }

        RegistrationStatusChanged?.Invoke(this, registered);
    }

    internal void OnClaimFailed(string @namespace, string name, string reason)
    {
        Interlocked.Increment(ref _failedClaims);
        LogClaimFailed(_logger, @namespace, name, reason);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The kubelet refused DRA driver {Driver}: {Error}")]
    private static partial void LogRegistrationRefused(ILogger logger, string driver, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preparing claim {Namespace}/{Name} failed (the kubelet retries): {Reason}")]
    private static partial void LogClaimFailed(ILogger logger, string @namespace, string name, string reason);
}
