using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TensorFusion.KubeletApi;
using TensorFusion.KubeletApi.DevicePlugin.V1Beta1;
using KubeletRegistration = TensorFusion.KubeletApi.DevicePlugin.V1Beta1.Registration;

namespace TensorFusion.Agent.DeviceDelivery.DevicePlugin;

/// <summary>
/// The device-plugin front end (clusters without DRA): serves the 16 <c>index_&lt;k&gt;</c> resources on their own
/// sockets in the kubelet's device-plugins directory and registers each with <c>kubelet.sock</c>. A kubelet restart
/// wipes that directory and creates a new <c>kubelet.sock</c>; a directory watch sees it, the sockets are recreated
/// and every resource registers again. A failed registration is logged and counted and retried by
/// <see cref="EnsureRegisteredAsync"/> (the agent's reconcile loop) or the next kubelet start.
/// </summary>
public sealed partial class DevicePluginServer : IAsyncDisposable
{
    internal const string ResourceItem = "tensor-fusion.ai/index-resource";
    public const string KubeletSocketName = "kubelet.sock";
    public const string DefaultDirectory = "/var/lib/kubelet/device-plugins";

    private readonly ILogger _logger;
    private readonly SemaphoreSlim _restart = new(1, 1);
    private FileSystemWatcher? _watcher;
    private WebApplication? _app;
    private long _registrations;
    private long _registrationFailures;
    private bool _registered;

    public DevicePluginServer(string nodeName, string directory, WorkerDelivery delivery, IWorkerIndex workerIndex, bool useCdi, ILogger logger)
    {
        NodeName = nodeName;
        Directory = Path.GetFullPath(directory);
        Delivery = delivery;
        WorkerIndex = workerIndex;
        UseCdi = useCdi;
        _logger = logger;
        Sockets = Enumerable.Range(0, IndexResources.ResourceCount).Select(k => Path.Combine(Directory, IndexResources.SocketName(k))).ToList();
    }

    public string NodeName { get; }
    public string Directory { get; }
    public WorkerDelivery Delivery { get; }
    public IWorkerIndex WorkerIndex { get; }

    /// <summary>Answer Allocate with CDI device names (true) or with env + mounts for runtimes without CDI.</summary>
    public bool UseCdi { get; }

    public IReadOnlyList<string> Sockets { get; }
    public string KubeletSocket => Path.Combine(Directory, KubeletSocketName);

    /// <summary>Completed registration rounds (all 16 resources each).</summary>
    public long Registrations => Interlocked.Read(ref _registrations);

    public long RegistrationFailures => Interlocked.Read(ref _registrationFailures);

    /// <summary>Raised after every completed registration round (tests await it).</summary>
    public event EventHandler<long>? RegisteredWithKubelet;

    /// <summary>Serves the sockets, registers if the kubelet is there, and watches for the kubelet's restarts.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await ServeAsync(cancellationToken);
        _watcher = new FileSystemWatcher(Directory, KubeletSocketName) { NotifyFilter = NotifyFilters.FileName };
        _watcher.Created += (_, _) => _ = OnKubeletStartedAsync();
        _watcher.EnableRaisingEvents = true;
        if (File.Exists(KubeletSocket))
        {
            await RegisterAsync(cancellationToken);
        }
    }

    /// <summary>Registers again when the last attempt failed and the kubelet's socket exists (called periodically).</summary>
    public async Task EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _registered) && File.Exists(KubeletSocket))
        {
            await RegisterAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _restart.WaitAsync();
        try
        {
            await StopServingAsync();
        }
        finally
        {
            _restart.Release();
            _restart.Dispose();
        }
    }

    internal void OnAllocateRefused(string message) => LogAllocateRefused(_logger, message);

    private async Task OnKubeletStartedAsync()
    {
        try
        {
            await _restart.WaitAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // the agent is stopping
        }

        try
        {
            // The kubelet removed our sockets with the rest of the directory when it started: serve them anew first.
            await StopServingAsync();
            await ServeAsync(CancellationToken.None);
            await RegisterAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Interlocked.Increment(ref _registrationFailures);
            LogRegistrationFailed(_logger, e.Message);
        }
        finally
        {
            _restart.Release();
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken) =>
        _app = await UnixSocketGrpcHost.StartAsync(
            Sockets,
            services => services.AddSingleton(this),
            app => app.MapGrpcService<IndexDevicePluginService>(),
            cancellationToken,
            (resource, listen) => listen.Use(next => connection =>
            {
                connection.Items[ResourceItem] = resource;
                return next(connection);
            }));

    private async Task StopServingAsync()
    {
        if (_app is not null)
        {
            await UnixSocketGrpcHost.StopAsync(_app, Sockets);
            _app = null;
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var channel = UnixSocketChannel.Create(KubeletSocket);
            var kubelet = new KubeletRegistration.RegistrationClient(channel);
            for (var k = 0; k < IndexResources.ResourceCount; k++)
            {
                await kubelet.RegisterAsync(new RegisterRequest
                {
                    Version = "v1beta1",
                    Endpoint = IndexResources.SocketName(k),
                    ResourceName = IndexResources.ResourceName(k),
                    Options = new DevicePluginOptions(),
                }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            }

            Volatile.Write(ref _registered, true);
            var round = Interlocked.Increment(ref _registrations); // not inside ?.Invoke: with no subscriber it would not run
            RegisteredWithKubelet?.Invoke(this, round);
        }
        catch (RpcException e)
        {
            Volatile.Write(ref _registered, false);
            Interlocked.Increment(ref _registrationFailures);
            LogRegistrationFailed(_logger, $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the index device plugins with the kubelet failed (retried): {Message}")]
    private static partial void LogRegistrationFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device plugin Allocate refused: {Message}")]
    private static partial void LogAllocateRefused(ILogger logger, string message);
}
