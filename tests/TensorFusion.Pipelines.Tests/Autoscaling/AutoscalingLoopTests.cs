using Microsoft.Extensions.Time.Testing;
using TensorFusion.Estimators.Options;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

public sealed class AutoscalingLoopTests
{
    private const double GiB = 1024d * 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Spec: 100 TFLOPs / 20 GiB per worker; the workload really uses about 40 TFLOPs and 8 GiB.
    private static readonly WorkloadResources Spec = new(new ResourceAmount(100, 20 * GiB), new ResourceAmount(100, 20 * GiB));

    private static AutoscaleTarget Target(bool autoSet = true) => new(
        "team", "llm", Spec, Current: null, QosLevel.Medium,
        PercentileOptions.Default with { Enable = true, InitialDelayPeriod = TimeSpan.Zero },
        [], null, Start.AddDays(-1), autoSet);

    private static UsageReading SteadyLoad(DateTimeOffset start, DateTimeOffset end)
    {
        var samples = new List<UsageSample>();
        for (var t = start; t <= end; t = t.AddMinutes(1))
        {
            samples.Add(new UsageSample("team", "llm", "llm-0", t, 40, 8 * GiB));
        }

        return new UsageReading(samples, null);
    }

    private static (AutoscalingLoop Loop, FakeAutoscalePorts Ports, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        var ports = new FakeAutoscalePorts { Usage = SteadyLoad };
        return (new AutoscalingLoop(ports, ports, ports, time, TimeSpan.FromHours(2), TimeSpan.FromMinutes(1)), ports, time);
    }

    [Fact]
    public async Task RunOnce_SteadyLowUsage_RecommendsLessAndResizesInPlace()
    {
        var (loop, ports, _) = Create();

        var decision = Assert.Single(await loop.RunOnceAsync([Target()], CancellationToken.None));

        Assert.True(decision.Apply, decision.ConditionMessage);
        Assert.Equal(nameof(RecommendationReason.Updated), decision.ConditionReason);
        var (request, _) = Assert.Single(ports.Resizes);
        // About 40 TFLOPs used plus margin: well under the 100 in the spec, above the usage.
        Assert.InRange(request.Tflops, 40, 99);
        Assert.Equal(2, Assert.Single(ports.Written).Applied);
        // The first read covers historyDataPeriod (2 h) before now.
        Assert.Equal((Start.AddHours(-2), Start), ports.Reads[0]);
    }

    [Fact]
    public async Task RunOnce_AutoSetResourcesOff_RecordsButDoesNotResize()
    {
        var (loop, ports, _) = Create();

        var decision = Assert.Single(await loop.RunOnceAsync([Target(autoSet: false)], CancellationToken.None));

        Assert.False(decision.Apply);
        Assert.True(decision.ConditionTrue);
        Assert.Empty(ports.Resizes);
        Assert.Null(Assert.Single(ports.Written).Applied);
    }

    [Fact]
    public async Task RunOnce_ResizeFails_KeepsPreviousResourcesAndSaysWhy()
    {
        var (loop, ports, _) = Create();
        ports.ResizeError = "worker team/llm-1 on node n1: GPU n1-g0 has 10 TFLOPs free";

        var decision = Assert.Single(await loop.RunOnceAsync([Target()], CancellationToken.None));

        Assert.Equal(Spec, decision.Recommendation);
        Assert.Equal((false, AutoscalingLoop.ResizeFailedReason), (decision.ConditionTrue, decision.ConditionReason));
        Assert.Contains("GPU n1-g0 has 10 TFLOPs free", decision.ConditionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_IntervalNotDue_SkipsWorkload()
    {
        var (loop, ports, time) = Create();
        await loop.RunOnceAsync([Target()], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        var second = await loop.RunOnceAsync([Target()], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        var third = await loop.RunOnceAsync([Target()], CancellationToken.None);

        Assert.Empty(second);
        Assert.Single(third);
        // Incremental reads: each starts where the previous good read ended.
        Assert.Equal((Start.AddSeconds(30), Start.AddSeconds(60)), ports.Reads[2]);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task RunOnce_PrometheusDownForMinutes_KeepsLastRecommendationAndRereadsGap()
    {
        var (loop, ports, time) = Create();
        var current = new WorkloadResources(new ResourceAmount(46, 9.2 * GiB), new ResourceAmount(46, 9.2 * GiB));
        await loop.RunOnceAsync([Target()], CancellationToken.None);
        ports.Usage = (_, _) => UsageReading.Down("prometheus at http://prometheus:9090/: Connection refused");

        for (var minute = 1; minute <= 5; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var decision = Assert.Single(await loop.RunOnceAsync([Target() with { Current = current }], CancellationToken.None));
            Assert.Equal((current, false, WorkloadUsageBook.MetricsUnavailableReason),
                (decision.Recommendation, decision.Apply, decision.ConditionReason));
        }

        ports.Usage = SteadyLoad;
        time.Advance(TimeSpan.FromMinutes(1));
        await loop.RunOnceAsync([Target() with { Current = current }], CancellationToken.None);

        Assert.Contains("Connection refused", ports.Written[^2].Decision.ConditionMessage, StringComparison.Ordinal);
        // Back up: the read covers the whole outage, from the last good read.
        Assert.Equal((Start, Start.AddMinutes(6)), ports.Reads[^1]);
        Assert.NotEqual(WorkloadUsageBook.MetricsUnavailableReason, ports.Written[^1].Decision.ConditionReason);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void Ingest_NanAndMissingFigures_NotCountedAsZero()
    {
        var book = new WorkloadUsageBook();
        var reading = new UsageReading(
            [new UsageSample("team", "llm", "llm-0", Start, null, 8 * GiB), new UsageSample("team", "llm", "llm-0", Start.AddMinutes(1), null, null)],
            null);

        book.Ingest(reading, Start, Estimators.Aggregation.AggregationOptions.Default);

        // One known VRAM figure, no TFLOPs: one sample in, the TFLOPs histogram still empty (not a zero).
        Assert.Equal(1, book.SamplesIngested);
        Assert.True(book.AggregateOf("team/llm")!.Tflops.IsEmpty);
    }

    [Fact]
    public void Retain_WorkloadGone_HistoryDropped()
    {
        var book = new WorkloadUsageBook();
        book.Ingest(new UsageReading(
            [new UsageSample("team", "llm", "llm-0", Start, 10, GiB), new UsageSample("team", "gone", "gone-0", Start, 10, GiB)], null),
            Start, Estimators.Aggregation.AggregationOptions.Default);

        book.Retain(key => key == "team/llm");

        Assert.NotNull(book.AggregateOf("team/llm"));
        Assert.Null(book.AggregateOf("team/gone"));
    }
}
