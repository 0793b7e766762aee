using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// An operator that reads agents directly has no history to re-read after a restart; the workload's
/// <c>tensor-fusion.ai/usage-checkpoint</c> annotation brings it back. One scraped sample per one-minute pass,
/// checkpoints every 5 minutes: the first pass starts the checkpoint clock, the pass at minute 5 writes.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class UsageCheckpointTests
{
    private const long TwentyGiB = 20L * 1024 * 1024 * 1024;
    private const string Key = AutoscalingCluster.Ns + "/llm";
    private static readonly AutoscalingOptions Options = new() { Tick = TimeSpan.FromMinutes(1), CheckpointInterval = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task OperatorRestart_ScrapedUsage_HistoryAndRecommendationComeBackFromTheCheckpoint()
    {
        await using var cluster = await StartAsync();
        var usage = new ScrapedUsage(40, 8 * AutoscalingCluster.GiB, "llm-0");
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new AutoscalingMetrics(registry);
        await cluster.StartServiceAsync(usage, options: Options, metrics: metrics);
        IReadOnlyList<AutoscaleDecision> decisions = [];
        for (var minute = 1; minute <= 5; minute++)
        {
            decisions = await cluster.TickAsync();
        }

        var before = Assert.Single(decisions);
        // Learned from usage (40 TFLOPs used → well under the spec's 100), so an empty history could not give it.
        Assert.InRange(before.Recommendation.Requests.Tflops, 40, 90);
        var samples = cluster.Service.Loop.Book.AggregateOf(Key)!.TotalSamplesCount;
        Assert.Equal(1, cluster.Service.Checkpoints!.Written);
        var saved = (await cluster.ReadWorkloadAsync("llm")).Metadata.Annotations[Annotations.UsageCheckpoint];
        Assert.Contains("\"tflops\"", saved, StringComparison.Ordinal);

        // Restart: a new service with an empty book, and agents that have not reported since.
        await cluster.StopServiceAsync();
        usage.Silent = true;
        await OperatorCluster.WaitUntilAsync(cluster.Cluster.Workloads,
            cache => cache.Get(AutoscalingCluster.Ns, "llm")?.Metadata.Annotation(Annotations.UsageCheckpoint) == saved, "the cache holds the checkpoint");
        var after = Assert.Single(await cluster.StartServiceAsync(usage, options: Options, metrics: metrics));

        Assert.Equal(1, cluster.Service.Checkpoints!.Restored);
        Assert.Equal(samples, cluster.Service.Loop.Book.AggregateOf(Key)!.TotalSamplesCount);
        Assert.Equal(before.Recommendation, after.Recommendation);
        Assert.True(after.ConditionTrue, after.ConditionMessage);
        var scrape = await ScrapeAsync(registry);
        Assert.Contains("tensorfusion_autoscaling_checkpoints_total{result=\"written\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_autoscaling_checkpoints_total{result=\"restored\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("tensorfusion_autoscaling_checkpoints_total{result=\"rejected\"} 0", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_CorruptCheckpoint_IgnoredAndCountedHistoryStartsAfresh()
    {
        await using var cluster = await StartAsync();
        await cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(AutoscalingCluster.Ns, "llm"),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotations.UsageCheckpoint] = "{\"version\":1,\"tflops\":" } } },
            CancellationToken.None);
        await OperatorCluster.WaitUntilAsync(cluster.Cluster.Workloads,
            cache => cache.Get(AutoscalingCluster.Ns, "llm")?.Metadata.Annotation(Annotations.UsageCheckpoint) is not null, "the cache holds the bad checkpoint");

        await cluster.StartServiceAsync(new ScrapedUsage(40, 8 * AutoscalingCluster.GiB, "llm-0"), options: Options);

        var checkpoints = cluster.Service.Checkpoints!;
        Assert.Equal((0, 1), (checkpoints.Restored, checkpoints.Rejected));
        Assert.StartsWith("default/llm: usage checkpoint ignored:", checkpoints.LastError, StringComparison.Ordinal);
        // Only this pass's scraped sample: nothing came from the bad checkpoint.
        Assert.Equal(1, cluster.Service.Loop.Book.AggregateOf(Key)!.TotalSamplesCount);
    }

    private static async Task<string> ScrapeAsync(Prometheus.CollectorRegistry registry)
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    private static async Task<AutoscalingCluster> StartAsync()
    {
        var cluster = await AutoscalingCluster.StartAsync();
        await cluster.CreateWorkloadAsync("llm", new JsonObject { ["autoSetResources"] = new JsonObject { ["enable"] = true, ["initialDelayPeriod"] = "0s" } });
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");
        return cluster;
    }
}
