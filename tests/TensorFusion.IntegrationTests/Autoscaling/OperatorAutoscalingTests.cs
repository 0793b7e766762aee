using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.IntegrationTests.Engine;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>
/// The autoscaler inside a running operator (leading, allocating through real simulator-backed agents): a workload with
/// autoSetResources gets a recommendation and its workers are resized in place; the operator exposes the gauges.
/// </summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class OperatorAutoscalingTests
{
    [Fact]
    public async Task RunningOperator_SimulatedLoad_RecommendsResizesAndExposesGauges()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        // 40 TFLOPs used by whichever workers run (docs/autoscaling.md: 47.43 TFLOPs recommended for QoS medium).
        var usage = new SteadyUsage(40, 8 * AutoscalingCluster.GiB, () => [.. engine.RunningWorkers("llm").Select(pod => pod.Metadata.Name)]);
        var client = KubeRestClient.WithBearerToken(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, engine.Cluster.Server.BaseUri, engine.Cluster.Server.Token);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var options = EngineCluster.FastOptions() with { Autoscaling = new AutoscalingOptions { Tick = TimeSpan.FromMilliseconds(200) } };
        var tensorFusion = new TensorFusionOperator(client, options, TimeProvider.System, registry, new Random(7),
            AgentAccess.OverTls(engine.AgentHttp, engine.Trust, () => EngineCluster.Token, TimeSpan.FromSeconds(5)), new AutoscalingAccess((_, _) => usage));
        await using var op = new RunningOperator(tensorFusion, new FaultInjectingHandler(), registry);

        await engine.Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = TensorFusionWorkload.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = "llm", ["namespace"] = OperatorCluster.Namespace },
            ["spec"] = new JsonObject
            {
                ["poolName"] = EngineCluster.Pool,
                ["replicas"] = 2,
                ["qos"] = "medium",
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["tflops"] = "100", ["vram"] = "20Gi" },
                    ["limits"] = new JsonObject { ["tflops"] = "100", ["vram"] = "20Gi" },
                },
                ["autoScalingConfig"] = AutoscalingServiceTests.ResizeInPlace(),
            },
        }, CancellationToken.None);

        await engine.Cluster.WaitForWorkloadAsync("llm", w => w.Status?.AppliedRecommendedReplicas == 2, "both workers resized to the recommendation");
        var status = engine.Cluster.Workloads.Get(OperatorCluster.Namespace, "llm")!.Status!;
        Assert.InRange((double)status.Recommendation!.Requests!.Tflops!.ToDecimal(), 47.4, 47.5);
        Assert.True(HasBothConditions(status), "the reconciler's Ready and the autoscaler's ResourceUpdate");
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods,
            _ => engine.RunningWorkers("llm") is { Count: 2 } workers && workers.All(pod => pod.Metadata.Annotations[Annotations.TflopsRequest] == status.Recommendation.Requests.Tflops.ToString()),
            "both running workers carry the recommended TFLOPs");
        var scrape = await op.ScrapeAsync();
        Assert.True(scrape.Contains("tensorfusion_workload_recommendation_tflops{namespace=\"default\",workload=\"llm\",bound=\"target\"} 47.4", StringComparison.Ordinal), string.Join("\n", scrape.Split('\n').Where(l => l.Contains("recommendation", StringComparison.Ordinal))));
    }

    /// <summary>The reconciler's Ready condition survives the autoscaler's status writes.</summary>
    private static bool HasBothConditions(TensorFusionWorkloadStatus status) =>
        status.Conditions?.Any(c => c.Type == ConditionTypes.Ready) == true && status.Conditions.Any(c => c.Type == ConditionTypes.ResourceUpdate);
}
