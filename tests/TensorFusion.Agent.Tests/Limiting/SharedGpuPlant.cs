using TensorFusion.Agent.Limiting;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Tests.Limiting;

/// <summary>
/// A test model of one GPU shared by tenants behind the shim: a tenant's share is min(demand, gain × the share its
/// bucket's refill rate grants) — gain ≠ 1 models kernels longer or shorter than the controller assumes — and when
/// the tenants together want more than the device, each is scaled down in proportion. Unlimited tenants (no region)
/// simply take their demand. Reads the grant from the region file the limiter wrote, like the shim would.
/// </summary>
internal sealed class SharedGpuPlant
{
    public const string Gpu = "GPU-plant-0";

    private readonly Dictionary<string, (double Demand, double Gain)> _tenants = new(StringComparer.Ordinal);

    public void Set(string worker, double demandPercent, double gain = 1.0) => _tenants[worker] = (demandPercent, gain);

    public double Demand(string worker) => _tenants[worker].Demand;

    public (IReadOnlyList<ProcessUsage> Processes, IReadOnlyDictionary<int, DeviceMetrics> Metrics) Measure(WorkerLimiter limiter)
    {
        var wanted = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (worker, (demand, gain)) in _tenants)
        {
            var path = limiter.RegionPath(worker);
            var granted = 100.0;
            if (File.Exists(path))
            {
                using var region = WorkerRegion.Open(path);
                granted = region.Read(0).RefillTokensPerSecond * 100.0 / ShareController.FullRateTokensPerSecond;
            }

            wanted[worker] = Math.Min(demand, gain * granted);
        }

        var total = wanted.Values.Sum();
        var scale = total > 100 ? 100 / total : 1;
        var processes = wanted.Select((w, i) => new ProcessUsage(1000 + i, 0, 1L << 30, (int)Math.Round(w.Value * scale), null, w.Key)).ToArray();
        var metrics = new Dictionary<int, DeviceMetrics> { [0] = Metrics(processes.Sum(p => p.UtilizationPercent)) };
        return (processes, metrics);
    }

    public static DeviceInfo Device() => new(Gpu, "plant", 0, 0, 80L << 30, 132, false, false, DeviceHealth.Healthy, 989);

    private static DeviceMetrics Metrics(int utilization) => new(0, Math.Min(100, utilization), 0, 0, 0, DeviceHealth.Healthy, 0);
}
