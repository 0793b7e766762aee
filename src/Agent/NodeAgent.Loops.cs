using Microsoft.Extensions.Logging;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Agent.Registration;

namespace TensorFusion.Agent;

/// <summary>Background loops of the node agent: retry the plan and check health; heartbeat.</summary>
public sealed partial class NodeAgent
{
    /// <summary>Raised after each background reconcile (tests await it instead of sleeping).</summary>
    public event EventHandler<NodePlanStatus>? Reconciled;

    /// <summary>Raised after each heartbeat is recorded.</summary>
    public event EventHandler<DateTimeOffset>? Heartbeat;

    private async Task RunReconcileLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReconcileInterval, _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var status = Applier.Reconcile();
                SyncRegions(); // regions follow the limits files, which only plan pushes and reconciles change
                ReconcileDelivery();
                await EnsureDevicePluginRegisteredAsync(stoppingToken);
                Metrics.RecordGeneration(status.ObservedGeneration);
                var unhealthy = RefreshHealth().Where(g => !g.Healthy).ToArray();
                foreach (var gpu in unhealthy)
                {
                    LogGpuUnhealthy(_logger, gpu.Device.Uuid, gpu.Reason ?? "unhealthy");
                }

                var unhealthyKey = string.Join(",", unhealthy.Select(g => g.Device.Uuid));
                if (unhealthyKey != _lastUnhealthy)
                {
                    // Health changed: tell the cluster now rather than at the next heartbeat.
                    _lastUnhealthy = unhealthyKey;
                    await PublishAsync(stoppingToken);
                }

                Reconciled?.Invoke(this, status);
            }
            catch (AcceleratorException e)
            {
                // A device error must not stop the loop; the next tick retries.
                LogLoopError(_logger, e.Error, e.Message);
            }
            catch (IOException e)
            {
                LogLoopError(_logger, AcceleratorError.Internal, e.Message);
            }
        }
    }

    private async Task RunHeartbeatLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = _options.TimeProvider.GetUtcNow();
            await PublishAsync(stoppingToken);
            Metrics.RecordHeartbeat(now);
            Heartbeat?.Invoke(this, now);
        }
    }

    /// <summary>Best effort: a failed publish is logged and retried at the next heartbeat.</summary>
    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        await PublishSliceAsync(cancellationToken);
        if (_options.Registrar is null)
        {
            return;
        }

        try
        {
            var report = new NodeReport(NodeName, _options.Pool, RefreshHealth(), _options.DeviceTflops, _options.TimeProvider.GetUtcNow());
            await _options.Registrar.PublishAsync(report, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or AcceleratorException)
        {
            LogPublishFailed(_logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing GPUNode/GPU status failed, retrying at the next heartbeat: {Message}")]
    private static partial void LogPublishFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan generation {Generation}: {Result} {Message}")]
    private static partial void LogPlanHandled(ILogger logger, long generation, PlanApplyResult result, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered from checkpoint: rebooted={Rebooted}, interrupted={Action}: {Outcome}")]
    private static partial void LogRecovered(ILogger logger, bool rebooted, string action, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPU {Gpu} is unhealthy: {Reason}")]
    private static partial void LogGpuUnhealthy(ILogger logger, string gpu, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent loop error ({Error}): {Message}")]
    private static partial void LogLoopError(ILogger logger, AcceleratorError error, string message);
}
