using TensorFusion.Agent.Limiting;
using TensorFusion.Agent.Tests.Http;
using TensorFusion.Agent.Tests.Metrics;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Limiting;

/// <summary>The whole loop on the simulator: agent regions → simulated shim (sim_region.c) → measured shares → metrics.</summary>
public sealed class SimulatedLimiterTests
{
    [Fact]
    public async Task LimiterLoop_CappedWorkerAndBorrowingNeighbour_HeldAtCapWhileNeighbourBorrows()
    {
        await using var harness = await AgentHarness.StartAsync();
        // GPU 0 (A100, 312 TFLOPs): "capped" requests 25 % with a 50 % limit; "borrower" requests 25 % with no cap.
        var borrower = new PlannedAllocation("team", "train", "borrower", IsolationMode.Soft,
            [new PlannedDeviceShare(GpuUuid(0), 78, 312, 8L << 30, 16L << 30)]);
        await harness.PushAsync(Plan(1, Fractional("capped"), borrower));
        harness.Node.Device.StartProcess(600, 0, null, "team_capped", LoadModel.Constant(0.9, 1L << 30));
        harness.Node.Device.StartProcess(601, 0, null, "team_borrower", LoadModel.Constant(0.4, 1L << 30));
        Assert.True(File.Exists(Path.Combine(harness.Node.LimitsDirectory, "team_capped.region")), "the plan's worker has no region");

        // 12 limiter intervals (3 s): capped wants 90 % and is held at its 50 % cap; borrower uses 40 %, 15 points
        // above its request, because the GPU has idle capacity.
        IReadOnlyList<LimiterReading> readings = [];
        for (var i = 0; i < 12; i++)
        {
            readings = await harness.NextLimiterTickAsync();
        }

        var capped = readings.Single(r => r.WorkerKey == "team_capped");
        var borrowing = readings.Single(r => r.WorkerKey == "team_borrower");
        Assert.Equal(50, capped.MeasuredPercent);
        Assert.Equal(40, borrowing.MeasuredPercent);
        Assert.True(capped.Counters.Tokens > 0, "the capped worker's bucket was never refilled");

        var samples = PrometheusText.Parse(await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        (string, string)[] labels = [("node", NodeName), ("namespace", "team"), ("worker", "capped"), ("gpu", GpuUuid(0))];
        Assert.Equal(50, samples.Value("tensorfusion_worker_compute_limit_percent", labels));
        Assert.Equal(50, samples.Value("tensorfusion_worker_compute_share_percent", labels));
        Assert.Equal(25, samples.Value("tensorfusion_worker_compute_request_percent", labels));

        // The worker leaves the plan: its region goes with it.
        await harness.PushAsync(Plan(2, borrower));
        Assert.False(File.Exists(Path.Combine(harness.Node.LimitsDirectory, "team_capped.region")), "region left behind");
    }
}
