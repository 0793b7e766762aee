using System.Net;
using System.Text.RegularExpressions;
using TensorFusion.Gpu.Devices;
using TensorFusion.Agent.Tests.Http;
using static TensorFusion.Agent.Tests.AgentTestNode;

namespace TensorFusion.Agent.Tests.Metrics;

public sealed partial class AgentMetricsExpositionTests
{
    [Fact]
    public async Task Metrics_PlanAndLoad_ExposesGpuAndWorkerSeries()
    {
        await using var harness = await AgentHarness.StartAsync();
        await harness.PushAsync(Plan(4, Fractional("w-frac", gpu: 1)));
        // The worker's process holds 6 GiB and uses 40 % of GPU 1 (A100-80GB, 312 TFLOPs).
        harness.Node.Device.StartProcess(500, 1, null, "team_w-frac", LoadModel.Constant(0.4, 6L << 30));

        var samples = PrometheusText.Parse(await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)));

        (string, string)[] gpu1 = [("node", NodeName), ("gpu", GpuUuid(1)), ("model", "A100-80GB"), ("pool", "default")];
        (string, string)[] worker = [("node", NodeName), ("namespace", "team"), ("workload", "train"), ("worker", "w-frac")];
        Assert.Equal(0.4, samples.Value("tensorfusion_gpu_compute_utilization_ratio", gpu1), 6);
        Assert.Equal(6L << 30, samples.Value("tensorfusion_gpu_memory_used_bytes", gpu1));
        Assert.Equal(80L << 30, samples.Value("tensorfusion_gpu_memory_total_bytes", gpu1));
        Assert.Equal(312, samples.Value("tensorfusion_gpu_capacity_tflops", gpu1));
        Assert.Equal(78, samples.Value("tensorfusion_gpu_allocated_tflops", gpu1));
        Assert.Equal(8L << 30, samples.Value("tensorfusion_gpu_allocated_vram_bytes", gpu1));
        Assert.Equal(1, samples.Value("tensorfusion_gpu_healthy", gpu1));
        // 40 % of 312 TFLOPs = 124.8 TFLOPs used; the limit is the planned 156.
        Assert.Equal(124.8, samples.Value("tensorfusion_worker_tflops_used", worker), 6);
        Assert.Equal(6L << 30, samples.Value("tensorfusion_worker_vram_used_bytes", worker));
        Assert.Equal(156, samples.Value("tensorfusion_worker_tflops_limit", worker));
        Assert.Equal(16L << 30, samples.Value("tensorfusion_worker_vram_limit_bytes", worker));
        Assert.Equal(4, samples.Value("tensorfusion_agent_plan_generation", ("node", NodeName)));
        Assert.Equal(1, samples.Value("tensorfusion_agent_plan_applies_total", ("node", NodeName), ("result", "applied")));
        Assert.Equal(0, samples.Value("tensorfusion_agent_plan_applies_total", ("node", NodeName), ("result", "refused")));
    }

    [Fact]
    public async Task Metrics_EveryNodeAgentNameInTheContract_IsExposed()
    {
        await using var harness = await AgentHarness.StartAsync();
        await harness.PushAsync(Plan(1, Fractional("w")));
        await harness.NextLimiterTickAsync(); // the limiter's series appear with its first interval

        var exposed = PrometheusText.Parse(await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)))
            .Select(s => s.Name).ToHashSet();
        var contract = NodeAgentContractNames();

        Assert.Equal(26, contract.Count);
        var missing = contract.Where(name => !exposed.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, $"not exposed: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Metrics_WorkerRemovedAndGpuLost_StaleSeriesGoneAndHealthZero()
    {
        await using var harness = await AgentHarness.StartAsync();
        await harness.PushAsync(Plan(1, Fractional("gone-soon")));
        await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));

        await harness.PushAsync(Plan(2, Fractional("stays")));
        harness.Node.Device.InjectFault(1, DeviceHealth.Lost);
        var samples = PrometheusText.Parse(await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)));

        Assert.DoesNotContain(samples, s => s.Labels.GetValueOrDefault("worker") == "gone-soon");
        Assert.Contains(samples, s => s.Labels.GetValueOrDefault("worker") == "stays");
        Assert.Equal(0, samples.Value("tensorfusion_gpu_healthy", ("gpu", GpuUuid(1))));
        Assert.Equal(1, samples.Value("tensorfusion_gpu_healthy", ("gpu", GpuUuid(0))));
    }

    [Fact]
    public async Task Metrics_WithoutToken_Unauthorized()
    {
        await using var harness = await AgentHarness.StartAsync();
        using var anonymous = new HttpClient(Tls.TestServingCertificates.Handler()) { BaseAddress = harness.Agent.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_TimeAdvances_TimestampFollowsTheClock()
    {
        await using var harness = await AgentHarness.StartAsync();
        var start = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var beat = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Agent.Heartbeat += (_, _) => beat.TrySetResult();

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await beat.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var samples = PrometheusText.Parse(await harness.Client.GetStringAsync(new Uri("metrics", UriKind.Relative)));

        // Start-up writes one heartbeat at t0; the loop's first beat is at t0 + 30 s.
        Assert.Equal(start + 30, samples.Value("tensorfusion_agent_heartbeat_timestamp_seconds", ("node", NodeName)));
    }

    private static IReadOnlyList<string> NodeAgentContractNames()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
        {
            directory = directory.Parent;
        }

        var text = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "metrics.md"));
        var section = text[text.IndexOf("## Node agent", StringComparison.Ordinal)..text.IndexOf("## Operator", StringComparison.Ordinal)];
        return ContractName().Matches(section).Select(m => m.Groups[1].Value).Distinct().ToArray();
    }

    [GeneratedRegex(@"^\| `([a-z_]+)`", RegexOptions.Multiline)]
    private static partial Regex ContractName();
}
