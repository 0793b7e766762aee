using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Limiting;

namespace TensorFusion.Agent;

/// <summary>The limiter loop: keeps one accounting region per limited worker and runs their controllers.</summary>
public sealed partial class NodeAgent
{
    /// <summary>Slots of dead processes are swept every this many limiter intervals (≈ 2 s at 250 ms).</summary>
    private const int SweepEveryTicks = 8;

    /// <summary>Raised after each limiter interval with every (worker, device) reading.</summary>
    public event EventHandler<IReadOnlyList<LimiterReading>>? LimiterTicked;

    /// <summary>The regions and controllers of this node's workers.</summary>
    public WorkerLimiter Limiter { get; private set; } = null!;

    /// <summary>Mirrors the limits the plan applier wrote into the workers' regions (creates, updates, removes).</summary>
    public void SyncRegions()
    {
        var plan = Applier.CurrentPlan; // read first: the limits files below are at least this plan's
        var limits = new Dictionary<string, IReadOnlyList<WorkerLimits>>(StringComparer.Ordinal);
        foreach (var worker in _device.ListLimitedWorkers())
        {
            limits[worker] = _device.GetWorkerLimits(worker);
        }

        Limiter.Sync(limits);
        _regionsSyncedPlan = plan;
    }

    /// <summary>One limiter interval, callable directly (tests, local mode's explain).</summary>
    public IReadOnlyList<LimiterReading> TickLimiter()
    {
        var (devices, metrics, processes) = ReadUsage();
        var readings = Limiter.Tick(devices, metrics, processes, _options.LimiterInterval);
        Metrics.UpdateLimiter(readings);
        LimiterTicked?.Invoke(this, readings);
        return readings;
    }

    private async Task RunLimiterLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.LimiterInterval, _options.TimeProvider);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (++ticks % SweepEveryTicks == 0)
                {
                    Limiter.SweepSlots();
                }

                TickLimiter();
            }
            catch (AcceleratorException e)
            {
                // A device error must not stop the heartbeat for long: the next interval retries (the shim falls
                // open after 2 s without one, so a lasting fault only loosens compute, never memory).
                LogLoopError(_logger, e.Error, e.Message);
            }
            catch (IOException e)
            {
                LogLoopError(_logger, AcceleratorError.Internal, e.Message);
            }
        }
    }
}
