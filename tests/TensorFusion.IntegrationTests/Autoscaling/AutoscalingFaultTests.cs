using TensorFusion.Api.Conventions;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// Reliability plan rows 23–24 and a failed resize, on the embedded API server with a loopback Prometheus: Prometheus
/// down for minutes keeps the last recommendation and says so; NaN and empty series are unknown, never zero; a resize
/// that fails on one node rolls back every worker.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class AutoscalingFaultTests
{
    private const long TwentyGiB = 20L * 1024 * 1024 * 1024;

    [Fact]
    public async Task PrometheusDownForFiveMinutes_KeepsLastRecommendationAndSaysSo()
    {
        await using var prometheus = await StubPrometheus.StartAsync();
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", AutoscalingServiceTests.ResizeInPlace());
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");
        prometheus.Workers = ["llm-0"];
        var start = cluster.Time.GetUtcNow();
        await cluster.StartServiceAsync(Prometheus(prometheus));
        var recommended = (await cluster.ReadWorkloadAsync("llm")).Status!.Recommendation!.Requests!.Tflops!.ToString();

        prometheus.Mode = StubPrometheus.Behaviour.Down;
        for (var minute = 1; minute <= 5; minute++)
        {
            var decision = Assert.Single(await cluster.TickAsync());
            Assert.Equal((false, WorkloadUsageBook.MetricsUnavailableReason), (decision.Apply, decision.ConditionReason));
        }

        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        AutoscalingServiceTests.AssertCondition(status, false, WorkloadUsageBook.MetricsUnavailableReason);
        Assert.Contains("storage is down", status.Conditions!.Single(c => c.Type == ConditionTypes.ResourceUpdate).Message, StringComparison.Ordinal);
        // No scale-down (nor up) from a gap: the workers and status keep the last recommendation.
        Assert.Equal(recommended, status.Recommendation!.Requests!.Tflops!.ToString());
        Assert.Equal(recommended, await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));

        prometheus.Mode = StubPrometheus.Behaviour.Serve;
        var back = Assert.Single(await cluster.TickAsync());

        Assert.True(back.ConditionTrue, back.ConditionMessage);
        AutoscalingServiceTests.AssertCondition((await cluster.ReadWorkloadAsync("llm")).Status!, true, back.ConditionReason);
        // Back up: the read covers the whole outage, from the last good read (the first pass) to now (6 minutes later).
        Assert.Equal((start, start.AddMinutes(6)), prometheus.Queries.Last());
    }

    [Fact]
    public async Task NanAndEmptySeries_AreUnknownNotZero_NothingRecommended()
    {
        await using var prometheus = await StubPrometheus.StartAsync();
        prometheus.Mode = StubPrometheus.Behaviour.NanAndEmpty;
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", AutoscalingServiceTests.ResizeInPlace());
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");

        var decision = Assert.Single(await cluster.StartServiceAsync(Prometheus(prometheus)));

        // Zeros would have recommended the floor (10 TFLOPs = 0.1 × spec); unknowns leave the workload alone.
        Assert.Equal((false, nameof(RecommendationReason.NoData)), (decision.Apply, decision.ConditionReason));
        Assert.Equal(0, cluster.Service.Loop.Book.SamplesIngested);
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        Assert.Null(status.Recommendation);
        AutoscalingServiceTests.AssertCondition(status, true, nameof(RecommendationReason.NoData));
        Assert.Equal("100", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
    }

    [Fact]
    public async Task ResizeFailsOnOneNode_EveryWorkerKeepsItsResources()
    {
        await using var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", AutoscalingServiceTests.ResizeInPlace());
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.CreateBoundWorkerAsync("llm-1", "llm", "n1", 100, TwentyGiB);
        // n1's H100 (989 TFLOPs) also holds 850 TFLOPs of another workload: 39 TFLOPs free there.
        await cluster.CreateBoundWorkerAsync("filler-0", "filler", "n1", 850, TwentyGiB);
        await cluster.StartPipelineAsync("n0", "n1");
        var planBefore = cluster.Agents.Latest["n0"];

        // 300 TFLOPs used per worker: bucket 102 ends at 2 × (1.05^103 − 1) = 302.4, × 1.15 = 347.8 TFLOPs requested.
        // llm-0 (n0, sorted first) fits; llm-1 would need 247.8 more on n1, where 39 are free: all or none.
        var decision = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(300, 8 * AutoscalingCluster.GiB, "llm-0", "llm-1")));

        Assert.Equal((false, AutoscalingLoop.ResizeFailedReason), (decision.ConditionTrue, decision.ConditionReason));
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        AutoscalingServiceTests.AssertCondition(status, false, AutoscalingLoop.ResizeFailedReason);
        Assert.Contains("llm-1", status.Conditions!.Single(c => c.Type == ConditionTypes.ResourceUpdate).Message, StringComparison.Ordinal);
        Assert.Null(status.Recommendation);
        Assert.Null(status.AppliedRecommendedReplicas);
        Assert.Equal("100", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
        Assert.Equal("100", await cluster.AnnotationAsync("llm-1", Annotations.TflopsRequest));
        // The allocator rolled llm-0 back too, and n0's agent was never sent the bigger share.
        var milli = cluster.Pipeline.Read(state => state.Allocations.Values.Single(a => a.Request.Worker == "llm-0").Shares[0].Request.MilliTflops);
        Assert.Equal(100_000, milli);
        Assert.Same(planBefore, cluster.Agents.Latest["n0"]);
    }

    private static PrometheusUsageSource Prometheus(StubPrometheus stub) =>
        new(new HttpClient(), stub.BaseAddress, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
}
