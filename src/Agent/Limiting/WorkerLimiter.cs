using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Limiting;

/// <summary>
/// The agent's side of the vGPU limiter on one node: one region per limited worker (mirroring the limits the plan
/// applier wrote), one <see cref="ShareController"/> per (worker, device), and the slot sweep. Every member takes one
/// lock: plan pushes and reconciles sync the regions while the limiter loop ticks them (a tick must never touch a
/// region a push just disposed).
/// </summary>
public sealed class WorkerLimiter(string regionDirectory, TimeProvider time, Func<RegionSlot, bool> isAlive) : IDisposable
{
    /// <summary>A full bucket holds this much refill: short bursts pass, long ones wait for the controller.</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, Worker> _workers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string RegionDirectory { get; } = regionDirectory;

    /// <summary>Workers with a region now.</summary>
    public IReadOnlyCollection<string> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Keys];
            }
        }
    }

    /// <summary>The region path of a worker: next to its limits file, named for the same key.</summary>
    public string RegionPath(string workerKey) => Path.Combine(RegionDirectory, workerKey + ".region");

    /// <summary>Creates, updates and removes regions so there is exactly one per worker in <paramref name="limits"/>.</summary>
    public void Sync(IReadOnlyDictionary<string, IReadOnlyList<WorkerLimits>> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_gate)
        {
            SyncLocked(limits);
        }
    }

    private void SyncLocked(IReadOnlyDictionary<string, IReadOnlyList<WorkerLimits>> limits)
    {
        foreach (var gone in _workers.Keys.Where(k => !limits.ContainsKey(k)).ToArray())
        {
            _workers[gone].Region.Dispose();
            _workers.Remove(gone);
            File.Delete(RegionPath(gone));
        }

        foreach (var (key, devices) in limits)
        {
            var entries = devices.Select(d => new RegionDeviceLimits(d.DeviceUuid, d.MemorySoftBytes, d.MemoryHardBytes,
                d.ComputeSoftPercent, d.ComputeHardPercent)).ToArray();
            if (_workers.TryGetValue(key, out var worker))
            {
                if (!worker.Limits.SequenceEqual(entries))
                {
                    worker.Region.SetLimits(entries);
                    _workers[key] = worker with { Limits = entries, Controllers = Controllers(entries) };
                }

                continue;
            }

            Directory.CreateDirectory(RegionDirectory);
            _workers[key] = new Worker(WorkerRegion.OpenOrCreate(RegionPath(key), entries), entries, Controllers(entries), new long[1]);
        }
    }

    /// <summary>
    /// One controller interval: heartbeat every region, measure each worker's share of each device (its processes'
    /// utilisation, attributed by worker id), run the controller, refill the bucket for <paramref name="interval"/>,
    /// and write the memory the worker uses beyond what the shim reserved.
    /// </summary>
    public IReadOnlyList<LimiterReading> Tick(
        IReadOnlyList<DeviceInfo> devices, IReadOnlyDictionary<int, DeviceMetrics> metrics, IReadOnlyList<ProcessUsage> processes, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(processes);
        lock (_gate)
        {
            return TickLocked(devices, metrics, processes, interval);
        }
    }

    private List<LimiterReading> TickLocked(
        IReadOnlyList<DeviceInfo> devices, IReadOnlyDictionary<int, DeviceMetrics> metrics, IReadOnlyList<ProcessUsage> processes, TimeSpan interval)
    {
        var now = MonotonicNs();
        var indexOf = devices.GroupBy(d => d.Uuid, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Index, StringComparer.Ordinal);
        var byWorker = processes.Where(p => p.WorkerId.Length > 0).ToLookup(p => p.WorkerId, StringComparer.Ordinal);
        var readings = new List<LimiterReading>();
        foreach (var (key, worker) in _workers)
        {
            worker.Region.Heartbeat(now);
            for (var entry = 0; entry < worker.Limits.Length; entry++)
            {
                var limits = worker.Limits[entry];
                var controller = worker.Controllers[entry];
                double measured = 0, devicePercent = 0;
                long memory = 0;
                if (indexOf.TryGetValue(limits.DeviceUuid, out var index))
                {
                    var own = byWorker[key].Where(p => p.DeviceIndex == index).ToArray();
                    measured = own.Sum(p => p.UtilizationPercent);
                    memory = own.Sum(p => p.MemoryUsedBytes);
                    devicePercent = metrics.TryGetValue(index, out var m) ? m.UtilizationPercent : measured;
                }

                controller.Update(measured, devicePercent);
                var rate = controller.RateTokensPerSecond;
                var capacity = Math.Max(1, (long)(rate * BurstWindow.TotalSeconds));
                worker.Region.Refill(entry, (long)Math.Ceiling(rate * interval.TotalSeconds), capacity, rate);
                var counters = worker.Region.Read(entry);
                worker.Region.SetOverhead(entry, Math.Max(0, memory - counters.UsedBytes));
                readings.Add(new LimiterReading(key, limits.DeviceUuid, limits.ComputeSoftPercent, limits.ComputeHardPercent, measured,
                    controller.TargetPercent, controller.GrantedPercent, worker.Region.Read(entry), worker.ReclaimedSlots[0]));
            }
        }

        return readings;
    }

    /// <summary>Releases the slots of processes that are gone; returns how many were reclaimed.</summary>
    public int SweepSlots()
    {
        var reclaimed = 0;
        lock (_gate)
        {
            foreach (var worker in _workers.Values)
            {
                foreach (var slot in worker.Region.HeldSlots())
                {
                    if (!isAlive(slot) && worker.Region.Reclaim(slot))
                    {
                        worker.ReclaimedSlots[0]++;
                        reclaimed++;
                    }
                }
            }
        }

        return reclaimed;
    }

    public void Dispose()
    {
        // Regions stay on disk: the worker's processes keep using them across an agent restart.
        lock (_gate)
        {
            foreach (var worker in _workers.Values)
            {
                worker.Region.Dispose();
            }

            _workers.Clear();
        }
    }

    /// <summary>
    /// The shim compares heartbeats with CLOCK_MONOTONIC; TimeProvider.System's timestamp is that clock on Linux.
    /// Computed in 128 bits and truncated, so a fake clock (ticks since year 1) still moves by exact nanoseconds.
    /// </summary>
    private long MonotonicNs() => unchecked((long)((Int128)time.GetTimestamp() * 1_000_000_000 / time.TimestampFrequency));

    private static ShareController[] Controllers(RegionDeviceLimits[] entries) =>
        entries.Select(e => new ShareController(e.ComputeSoftPercent, e.ComputeHardPercent)).ToArray();

    private sealed record Worker(WorkerRegion Region, RegionDeviceLimits[] Limits, ShareController[] Controllers, long[] ReclaimedSlots);
}
