using Microsoft.Extensions.Time.Testing;
using TensorFusion.Agent.Limiting;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Agent.Tests.Limiting;

/// <summary>
/// The limiter's feedback loop on a modelled shared GPU (<see cref="SharedGpuPlant"/>): the real WorkerLimiter writes
/// real region files every 250 ms of fake time; the plant reads the granted rate back from them. "Converged" means
/// the measured share is within ±5 points of what the worker can get — its target, or its demand when it wants
/// less — for 3 intervals in a row.
/// </summary>
public sealed class ControllerConvergenceTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-limiter-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly SharedGpuPlant _plant = new();
    private readonly WorkerLimiter _limiter;

    public ControllerConvergenceTests() => _limiter = new WorkerLimiter(_directory, _time, _ => true);

    [Fact]
    public void Tick_AloneOnIdleGpu_BorrowsUpToCapWithinFourIntervals()
    {
        // Request 30 %, limit 60 %, wants the whole GPU, alone: the target is the cap (60), reached from the
        // starting grant of 30 in 2 intervals (30 + 0.3·30 + 0.6·30 = 57, then 60) plus one of measurement lag.
        Limit(("a", 30, 60));
        _plant.Set("a", 100);
        var converged = RunUntilConverged("a", maxIntervals: 20);
        Assert.InRange(converged, 1, 4);
        Assert.Equal(60, Last("a").TargetPercent);
        Assert.InRange(Last("a").MeasuredPercent, 55, 60); // never above the cap
    }

    [Fact]
    public void Tick_DemandStepsUp_ReconvergesWithinFourIntervals()
    {
        Limit(("a", 30, 60));
        _plant.Set("a", 10);
        RunUntilConverged("a", maxIntervals: 20);
        _plant.Set("a", 100); // step: 10 % → everything
        Assert.InRange(RunUntilConverged("a", maxIntervals: 20), 1, 4);
        Assert.InRange(Last("a").MeasuredPercent, 55, 60);
    }

    [Fact]
    public void Tick_TwoTenantsBothSaturating_EachGetsAtLeastItsRequestWithinTenIntervals()
    {
        // 30/70 requests, caps 50/100, both want everything: each ends within 5 points of a target that is at least
        // its request, the GPU about 95 % busy (5 points headroom).
        Limit(("a", 30, 50), ("b", 60, 100));
        _plant.Set("a", 100);
        _plant.Set("b", 100);
        var intervals = RunUntilConverged(["a", "b"], maxIntervals: 40);
        Assert.InRange(intervals, 1, 10);
        Assert.True(Last("a").MeasuredPercent >= 25, $"a measured {Last("a").MeasuredPercent}");
        Assert.True(Last("b").MeasuredPercent >= 55, $"b measured {Last("b").MeasuredPercent}");
        Assert.True(Last("a").MeasuredPercent <= 50, $"a above its cap: {Last("a").MeasuredPercent}");
    }

    [Fact]
    public void Tick_NoisyUnlimitedNeighbour_CappedTenantGivesBackBorrowedShareWithinSixIntervals()
    {
        // a borrows up to its 60 % cap on an idle GPU; then an unlimited neighbour starts using 70 %: idle capacity
        // is gone (the GPU is oversubscribed, 60 + 70), a's target falls from 60 toward its request (30) and a follows
        // within 6 intervals; the shares then settle with the neighbour back near its 70.
        Limit(("a", 30, 60));
        _plant.Set("a", 100);
        RunUntilConverged("a", maxIntervals: 20);
        Assert.Equal(60, Last("a").TargetPercent);
        _plant.Set("noisy", 70);
        Assert.InRange(RunUntilConverged("a", maxIntervals: 40), 1, 6);
        Assert.InRange(Last("a").TargetPercent, 30, 40);
        RunUntilConverged("a", maxIntervals: 40);
        Assert.InRange(Last("a").MeasuredPercent, 25, 35);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void Tick_KernelsLongerOrShorterThanAssumed_ConvergesWithinTenIntervals(double gain)
    {
        // The plant's share per granted point differs from the nominal 1: the integral term still finds the rate.
        // Request 20, cap 40, an unlimited neighbour keeps 80 % busy: target max(20, u + idle − 5) = 20. With gain
        // 0.5 the grant must rise to 40 (the clamp) to reach it; with 1.5 it must settle near 13.
        Limit(("a", 20, 40));
        _plant.Set("noisy", 80);
        _plant.Set("a", 100, gain);
        var intervals = RunUntilConverged("a", maxIntervals: 40);
        Assert.InRange(intervals, 1, 10);
    }

    [Fact]
    public void Tick_EveryInterval_HeartbeatFollowsTheClock()
    {
        Limit(("a", 30, 60));
        using var region = WorkerRegion.Open(_limiter.RegionPath("a"));
        Tick();
        var first = region.HeartbeatNs;
        _time.Advance(Interval);
        Tick();
        // 250 ms of fake time later the heartbeat moved by exactly 250 000 000 ns.
        Assert.Equal(250_000_000, region.HeartbeatNs - first);
        Assert.NotEqual(0, first); // 0 would mean "never" to the shim
    }

    public void Dispose()
    {
        _limiter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private readonly Dictionary<string, LimiterReading> _last = new(StringComparer.Ordinal);

    private LimiterReading Last(string worker) => _last[worker];

    private void Limit(params (string Worker, int Soft, int Hard)[] workers) =>
        _limiter.Sync(workers.ToDictionary(w => w.Worker, w => (IReadOnlyList<WorkerLimits>)
            [new WorkerLimits(SharedGpuPlant.Gpu, IsolationMode.Soft, w.Soft, w.Hard, 0, 0)], StringComparer.Ordinal));

    private void Tick()
    {
        var (processes, metrics) = _plant.Measure(_limiter);
        foreach (var reading in _limiter.Tick([SharedGpuPlant.Device()], metrics, processes, Interval))
        {
            _last[reading.WorkerKey] = reading;
        }
    }

    private int RunUntilConverged(string worker, int maxIntervals) => RunUntilConverged([worker], maxIntervals);

    /// <summary>Intervals until every worker's share is within ±5 of its target for 3 intervals in a row (the count is the first of those).</summary>
    private int RunUntilConverged(string[] workers, int maxIntervals)
    {
        var streak = 0;
        for (var i = 1; i <= maxIntervals; i++)
        {
            _time.Advance(Interval);
            Tick();
            streak = workers.All(w => Math.Abs(Last(w).MeasuredPercent - Math.Min(Last(w).TargetPercent, _plant.Demand(w))) <= 5) ? streak + 1 : 0;
            if (streak == 3)
            {
                return i - 2;
            }
        }

        throw new Xunit.Sdk.XunitException($"not converged in {maxIntervals} intervals: " +
            string.Join(", ", workers.Select(w => $"{w} measured {Last(w).MeasuredPercent} target {Last(w).TargetPercent} granted {Last(w).GrantedPercent}")));
    }
}
