using Microsoft.Extensions.Logging;
using TensorFusion.Agent.DeviceDelivery;
using TensorFusion.Agent.DeviceDelivery.DevicePlugin;
using TensorFusion.Agent.DeviceDelivery.Dra;

namespace TensorFusion.Agent;

/// <summary>Device delivery: the worker CDI specs, the DRA kubelet plugin, the device plugins and the ResourceSlice
/// (docs/agent-protocol.md, "Device delivery"). Off when <see cref="AgentOptions.Delivery"/> is null.</summary>
public sealed partial class NodeAgent
{
    /// <summary>The plan whose workers' regions exist: delivery hands out a worker only from here, so a prepare can
    /// never mount a region the plan push has not written yet.</summary>
    private volatile Gpu.Plans.NodePlan? _regionsSyncedPlan;

    /// <summary>The delivery core; null when delivery is off.</summary>
    public WorkerDelivery? Delivery { get; private set; }

    public DraPluginServer? DraPlugin { get; private set; }

    public DevicePluginServer? DevicePlugin { get; private set; }

    private async Task StartDeliveryAsync(CancellationToken cancellationToken)
    {
        if (_options.Delivery is not { } options)
        {
            return;
        }

        var paths = new DeliveryPaths
        {
            CdiDirectory = Path.GetFullPath(options.CdiDirectory),
            LimiterDirectory = Path.GetFullPath(options.LimiterDirectory),
            RegionDirectory = Path.GetFullPath(Limiter.RegionDirectory),
        };
        LimiterInstaller.Install(paths, options.LimiterLibrarySource);
        Delivery = new WorkerDelivery(paths, new DeliveryStateStore(Path.Combine(_options.StateDirectory, "delivery.json")),
            () => _regionsSyncedPlan, _device, options.Resolver);
        ReconcileDelivery(); // after a reboot the CDI directory (a tmpfs) is empty: rebuild before the kubelet asks
        if (options.Dra)
        {
            DraPlugin = new DraPluginServer(NodeName, options.PluginDirectory, options.RegistryDirectory, Delivery, _logger);
            await DraPlugin.StartAsync(cancellationToken);
        }

        if (options.DevicePlugin)
        {
            DevicePlugin = new DevicePluginServer(NodeName, options.DevicePluginDirectory, Delivery, options.WorkerIndex!, options.DevicePluginCdi, _logger);
            await DevicePlugin.StartAsync(cancellationToken);
        }
    }

    private async Task StopDeliveryAsync()
    {
        if (DraPlugin is not null)
        {
            await DraPlugin.DisposeAsync();
        }

        if (DevicePlugin is not null)
        {
            await DevicePlugin.DisposeAsync();
        }
    }

    /// <summary>Specs follow the plan: rebuilt for planned workers, removed for departed ones. A failure is logged and
    /// retried at the next reconcile (the specs already written stay valid meanwhile).</summary>
    private void ReconcileDelivery()
    {
        if (Delivery is null)
        {
            return;
        }

        try
        {
            Delivery.Reconcile();
            foreach (var (worker, reason) in Delivery.LastRebuildFailures)
            {
                LogSpecPending(_logger, worker, reason);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeliveryError(_logger, e.Message);
        }
    }

    private async Task EnsureDevicePluginRegisteredAsync(CancellationToken cancellationToken)
    {
        if (DevicePlugin is not null)
        {
            await DevicePlugin.EnsureRegisteredAsync(cancellationToken);
        }
    }

    private async Task PublishSliceAsync(CancellationToken cancellationToken)
    {
        if (_options.Delivery is not { Dra: true, Slices: { } slices })
        {
            return;
        }

        try
        {
            var outcome = await slices.PublishAsync(_device.ListDevices(), _options.DeviceTflops, cancellationToken);
            // Said at the first miss and then every 20th (about every 10 minutes at the default heartbeat), so an older
            // cluster does not fill the log; the count in the line says how many heartbeats have tried.
            if (outcome == SlicePublishOutcome.NotServed && (slices.NotServedCount == 1 || slices.NotServedCount % 20 == 0))
            {
                LogSliceNotServed(_logger, slices.NotServedCount);
            }
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            LogDeliveryError(_logger, $"publishing the ResourceSlice failed, retrying at the next heartbeat: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDI spec of worker {Worker} not rebuilt yet (retried): {Reason}")]
    private static partial void LogSpecPending(ILogger logger, string worker, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Device delivery: {Message}")]
    private static partial void LogDeliveryError(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The API server does not serve resource.k8s.io/v1 ResourceSlices (Kubernetes < 1.34?); retrying at the next heartbeat ({Count} so far)")]
    private static partial void LogSliceNotServed(ILogger logger, long count);
}
