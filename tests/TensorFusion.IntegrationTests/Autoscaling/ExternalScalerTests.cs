using System.Text;
using System.Text.Json.Nodes;
using TensorFusion.Api.Conventions;
using TensorFusion.Estimators.Recommendation;
using TensorFusion.Pipelines.Autoscaling;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>The external scaler over HTTP: bearer key from a Secret, its answer applied in place, failures in the condition.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class ExternalScalerTests
{
    private const long TwentyGiB = 20L * 1024 * 1024 * 1024;

    [Fact]
    public async Task ScalerAsksForMore_KeyFromSecret_WorkersResizedToItsAnswer()
    {
        await using var scaler = await StubExternalScaler.StartAsync();
        scaler.Answer = """
            {"needScaleUp":true,"needScaleDown":false,"reason":"queue is long",
             "recommendedResources":{"requests":{"tflops":"120","vram":"20Gi"},"limits":{"tflops":"120","vram":"20Gi"}}}
            """;
        await using var cluster = await StartAsync(scaler);
        await cluster.Direct.CreateAsync<JsonNode>("api/v1/namespaces/default/secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "scaler-key" },
            ["data"] = new JsonObject { ["apiKey"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")) },
        }, CancellationToken.None);

        var decision = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(0, 0), new HttpExternalScaler(new HttpClient(), cluster.Direct, TimeSpan.FromSeconds(10))));

        Assert.Equal((true, nameof(RecommendationReason.Updated)), (decision.Apply, decision.ConditionReason));
        Assert.Contains("queue is long", decision.ConditionMessage, StringComparison.Ordinal);
        Assert.Equal("120", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
        var (authorization, body) = Assert.Single(scaler.Calls);
        Assert.Equal("Bearer s3cret", authorization);
        var request = JsonNode.Parse(body)!;
        Assert.Equal(("llm", "default", "100"), ((string?)request["workloadName"], (string?)request["namespace"], (string?)request["currentResources"]!["requests"]!["tflops"]));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task ScalerFailsThenHangs_ConditionSaysWhyAndWorkersKeepTheirs()
    {
        await using var scaler = await StubExternalScaler.StartAsync();
        scaler.Status = 500;
        scaler.Answer = "{\"error\":\"model server restarting\"}";
        await using var cluster = await StartAsync(scaler, withSecret: false);

        var failed = Assert.Single(await cluster.StartServiceAsync(new SteadyUsage(0, 0), new HttpExternalScaler(new HttpClient(), cluster.Direct, TimeSpan.FromSeconds(2))));
        Assert.Equal((false, AutoscalingLoop.ExternalScalerFailedReason), (failed.ConditionTrue, failed.ConditionReason));
        Assert.Contains("HTTP 500", failed.ConditionMessage, StringComparison.Ordinal);

        scaler.Hang = true;
        var hung = Assert.Single(await cluster.TickAsync());

        Assert.Contains("no answer within 2 s", hung.ConditionMessage, StringComparison.Ordinal);
        var status = (await cluster.ReadWorkloadAsync("llm")).Status!;
        AutoscalingServiceTests.AssertCondition(status, false, AutoscalingLoop.ExternalScalerFailedReason);
        Assert.Null(status.Recommendation);
        Assert.Equal("100", await cluster.AnnotationAsync("llm-0", Annotations.TflopsRequest));
    }

    private static async Task<AutoscalingCluster> StartAsync(StubExternalScaler scaler, bool withSecret = true)
    {
        var cluster = await AutoscalingCluster.StartAsync();
        var config = AutoscalingServiceTests.ResizeInPlace();
        config["externalScaler"] = new JsonObject
        {
            ["enable"] = true,
            ["url"] = scaler.Url.ToString(),
            ["initialDelayPeriod"] = "0s",
        };
        if (withSecret)
        {
            config["externalScaler"]!["apiKeySecretRef"] = new JsonObject { ["name"] = "scaler-key" };
        }

        await cluster.CreateWorkloadAsync("llm", config);
        await cluster.CreateBoundWorkerAsync("llm-0", "llm", "n0", 100, TwentyGiB);
        await cluster.StartPipelineAsync("n0");
        return cluster;
    }
}
