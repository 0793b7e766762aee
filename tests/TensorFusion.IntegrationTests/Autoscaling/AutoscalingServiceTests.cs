using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Estimators.Recommendation;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// The autoscaler composed on the embedded API server: simulated load → status.recommendation, in-place resize through
/// the allocation pipeline (pod annotations, agent plans, appliedRecommendedReplicas) and cron windows on a fake clock.
/// </summary>
/// <remarks>
/// Worked numbers (docs/autoscaling.md §1, §4, §6). Buckets start at 0.1 × (1.05^i − 1) / 0.05 TFLOPs. A steady
/// 40 TFLOPs falls in bucket 62, which ends at 2 × (1.05^63 − 1) = 41.25; × 1.15 margin = 47.43 TFLOPs for every
/// percentile, so QoS medium requests 47.43 (inside [10, 1000]) and the limit stays at the spec's 100 (a compute limit
/// never drops below the spec). 8 GiB of VRAM ends up at about 9.4 GiB. 100 → 47.43 is far beyond the 10 % threshold.
/// </remarks>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class AutoscalingServiceTests
{
    private const long TwentyGiB = 20L * 1024 * 1024 * 1024;

    [Fact]
    public async Task SimulatedLoad_RecommendOnly_StatusGetsRecommendationWorkersKeepTheirs()
    {
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", new JsonObject { ["autoSetResources"] = new JsonObject { ["enable"] = true, ["initialDelayPeriod"] = "0s" } });
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");

        var decision = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(40, 8 * AutoscalingCluster.GiB, "llm-0")));

        Assert.False(decision.Apply);
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        Assert.InRange((double)status.Recommendation!.Requests!.Tflops!.ToDecimal(), 47.4, 47.5);
        Assert.Equal(100m, status.Recommendation.Limits!.Tflops!.ToDecimal());
        Assert.InRange((double)status.Recommendation.Requests.Vram!.ToDecimal() / AutoscalingCluster.GiB, 9, 10);
        AssertCondition(status, true, nameof(RecommendationReason.Updated));
        Assert.Null(status.AppliedRecommendedReplicas);
        // Recommend-only (no targetResource): the worker keeps its 100 TFLOPs.
        Assert.Equal("100", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
    }

    [Fact]
    public async Task SimulatedLoad_AutoSetResources_ResizesWorkersInPlace()
    {
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", ResizeInPlace());
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.CreateBoundWorkerAsync("llm-1", "llm", "n1", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0", "n1");

        var decision = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(40, 8 * AutoscalingCluster.GiB, "llm-0", "llm-1")));

        Assert.True(decision.Apply, decision.ConditionMessage);
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        Assert.Equal(2, status.AppliedRecommendedReplicas);
        AssertCondition(status, true, nameof(RecommendationReason.Updated));
        var recommended = status.Recommendation!.Requests!.Tflops!.ToString();
        foreach (var (worker, node) in new[] { ("llm-0", "n0"), ("llm-1", "n1") })
        {
            // The pod carries the recommendation in milli-TFLOPs (e.g. 47434m), exactly as status records it.
            Assert.Equal(recommended, await cluster.AnnotationAsync(worker, Annotations.TflopsRequest));
            Assert.Equal("100", await cluster.AnnotationAsync(worker, Annotations.TflopsLimit));
            await cluster.WaitForPlanAsync(node);
            var share = Assert.Single(Assert.Single(cluster.Agents.Latest[node].Allocations).Devices);
            Assert.InRange(share.TflopsRequest, 47.4, 47.5);
        }
    }

    [Fact]
    public async Task ScaleUpCap_GpuNearlyFull_EveryWorkerGetsWhatTheFullestGpuAllows()
    {
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", ResizeInPlace());
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.CreateBoundWorkerAsync("llm-1", "llm", "n1", 100, TwentyGiB);
        await cluster.CreateBoundWorkerAsync("filler-0", "filler", "n1", 850, TwentyGiB);
        await cluster.StartPipelineAsync("n0", "n1");

        // 300 TFLOPs used asks for 347.8 each (see the fault test); the cap is min over GPUs of (available + held) /
        // workers: n0 (889 + 100) / 1 = 989, n1 (39 + 100) / 1 = 139, so every worker gets 139 TFLOPs.
        var decision = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(300, 8 * AutoscalingCluster.GiB, "llm-0", "llm-1"), scaleUpCap: true));

        Assert.True(decision.Apply, decision.ConditionMessage);
        Assert.Contains("Scale-up cap", decision.ConditionMessage, StringComparison.Ordinal);
        Assert.Equal("139", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
        Assert.Equal("139", await cluster.AnnotationAsync("llm-1", Annotations.TflopsRequest));
        Assert.Equal(2, (await cluster.ReadWorkloadAsync("llm")).Status!.AppliedRecommendedReplicas);
    }

    [Fact]
    public async Task CronWindow_OpensAndCloses_AppliesThenRevertsToSpec()
    {
        var tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1);
        await using var cluster = await AutoscalingCluster.StartAsync(new DateTimeOffset(tomorrow.AddHours(11).AddMinutes(59), TimeSpan.Zero));
        var config = ResizeInPlace();
        config["cronScalingRules"] = new JsonArray(new JsonObject
        {
            ["enable"] = true,
            ["name"] = "noon",
            ["start"] = "0 12 * * *",
            ["end"] = "0 13 * * *",
            ["desiredResources"] = new JsonObject
            {
                ["requests"] = new JsonObject { ["tflops"] = "150", ["vram"] = "20Gi" },
                ["limits"] = new JsonObject { ["tflops"] = "150", ["vram"] = "20Gi" },
            },
        });
        await cluster.CreateWorkloadAsync("llm", config);
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");

        // 11:59: no usage yet and the window is closed.
        var before = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(0, 0)));
        Assert.Equal((nameof(RecommendationReason.NoData), null), (before.ConditionReason, before.ActiveCronRule));

        // 12:00: the window opens; the worker gets the rule's 150 TFLOPs in place.
        var opened = Assert.Single(await cluster.TickAsync());
        Assert.Equal((nameof(RecommendationReason.RuleActive), "noon"), (opened.ConditionReason, opened.ActiveCronRule));
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        Assert.Equal("noon", status.ActiveCronScalingRule!.Name);
        Assert.Equal(150m, status.Recommendation!.Requests!.Tflops!.ToDecimal());
        Assert.Equal("150", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));

        // 13:00: the window closes; back to the spec's 100 TFLOPs and no active rule.
        var closed = Assert.Single(await cluster.TickAsync(TimeSpan.FromHours(1)));
        Assert.Equal(nameof(RecommendationReason.RuleInactive), closed.ConditionReason);
        status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        Assert.Null(status.ActiveCronScalingRule);
        Assert.Equal(100m, status.Recommendation!.Requests!.Tflops!.ToDecimal());
        Assert.Equal("100", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
    }

    internal static JsonObject ResizeInPlace() => new()
    {
        ["autoSetResources"] = new JsonObject { ["enable"] = true, ["targetResource"] = "all", ["initialDelayPeriod"] = "0s" },
    };

    internal static void AssertCondition(TensorFusionWorkloadStatus status, bool expected, string reason)
    {
        var condition = Assert.Single(status.Conditions!, c => c.Type == ConditionTypes.ResourceUpdate);
        Assert.Equal((expected ? "True" : "False", reason), (condition.Status, condition.Reason));
        Assert.False(string.IsNullOrEmpty(condition.Message));
    }
}
