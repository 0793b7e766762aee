using System.Globalization;
using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Integration")]
public sealed class LivePrometheusTests(PrometheusServerFixture prometheus) : IClassFixture<PrometheusServerFixture>
{
    [Fact]
    public async Task Query_EveryDashboardPanel_ReturnsData()
    {
        var failures = new List<string>();
        foreach (var query in DashboardCatalog.Queries())
        {
            var response = await prometheus.QueryAsync(query.Expression);
            if ((string?)response["status"] != "success")
            {
                failures.Add($"{query}\n    error: {response["error"]}");
            }
            else if (response["data"]!["result"] is not JsonArray { Count: > 0 })
            {
                failures.Add($"{query}\n    returned no series");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} panel queries failed:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task Query_PoolOverviewAllocatedStat_IsAllocatedOverCapacityOfAllPools()
    {
        var query = DashboardCatalog.Queries().Single(q => q.Dashboard == "tensorfusion-pool-overview.json" && q.Panel == "TFLOPs allocated");

        var response = await prometheus.QueryAsync(query.Expression);

        // (700 + 156) / (2968.5 + 312) = 856 / 3280.5 = 0.26093...
        var expected = SampleMetrics.PoolTflops.Values.Sum(p => p.Allocated) / SampleMetrics.PoolTflops.Values.Sum(p => p.Capacity);
        Assert.Equal(856 / 3280.5, expected, 12);
        Assert.Equal(expected, SingleValue(response), 9);
    }

    [Fact]
    public async Task Query_WorkloadRecommendationPanel_ReturnsLowerTargetAndUpperBounds()
    {
        var query = DashboardCatalog.Queries().Single(q => q.Dashboard == "tensorfusion-workload-autoscaling.json"
            && q.Panel.StartsWith("TFLOPs per worker", StringComparison.Ordinal) && q.RawExpression.Contains("recommendation", StringComparison.Ordinal));

        var response = await prometheus.QueryAsync(query.Expression);

        // All workloads (".*"): max over llama-infer (request 200) and bert-train (100) → 0.6/0.8/1.3 × 200.
        var byBound = response["data"]!["result"]!.AsArray().ToDictionary(s => (string)s!["metric"]!["bound"]!, ValueOf);
        Assert.Equal(120, byBound["lower"], 9);
        Assert.Equal(160, byBound["target"], 9);
        Assert.Equal(260, byBound["upper"], 9);
    }

    [Fact]
    public async Task Query_EveryRuleExpression_EvaluatesWithoutError()
    {
        var failures = new List<string>();
        foreach (var (name, expression) in AlertRuleFileTests.RuleExpressions())
        {
            var response = await prometheus.QueryAsync(expression);
            if ((string?)response["status"] != "success")
            {
                failures.Add($"{name}: {response["errorType"]} {response["error"]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task RecordingRule_TargetOverRequest_MatchesTheSampleWorkloads()
    {
        var ratios = new Dictionary<string, double>();

        // Recorded series appear after the rule manager's first evaluation (every second).
        await prometheus.WaitUntilAsync("the recording rule has produced series", async () =>
        {
            var response = await prometheus.QueryAsync("tensorfusion:workload_target_over_request:ratio");
            ratios = response["data"]!["result"]!.AsArray().ToDictionary(
                s => $"{s!["metric"]!["workload"]}/{s["metric"]!["resource"]}", ValueOf);
            return ratios.Count == 4;
        });

        // SampleMetrics: target = 0.8 x request for both workloads and both resources.
        Assert.All(ratios, ratio => Assert.Equal(0.8, ratio.Value, 9));
        Assert.Equal(["bert-train/tflops", "bert-train/vram", "llama-infer/tflops", "llama-infer/vram"], ratios.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RuleManager_AfterEvaluation_ReportsEveryRuleHealthy()
    {
        var expected = AlertRuleFileTests.RuleExpressions().Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
        List<JsonObject> rules = [];

        // The rule manager evaluates every second; wait until each rule has been evaluated once.
        await prometheus.WaitUntilAsync("every rule has been evaluated", async () =>
        {
            var response = await prometheus.GetAsync("api/v1/rules");
            rules = [.. response["data"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!.AsObject())];
            return rules.Count == expected.Count && rules.All(r => !((string)r["lastEvaluation"]!).StartsWith("0001-", StringComparison.Ordinal));
        });

        Assert.Equal(expected, rules.Select(r => (string)r["name"]!).Order(StringComparer.Ordinal));
        Assert.All(rules, rule => Assert.True((string?)rule["health"] == "ok", $"{rule["name"]}: {rule["health"]} {rule["lastError"]}"));
    }

    [Fact]
    public async Task Alerts_OnSampleClusterWithinMinutes_NoneFire()
    {
        // The samples are a healthy cluster except for one unschedulable worker per pool and bert-train Pending,
        // which need 10-15 minutes of "for" before firing: within this test's lifetime nothing fires.
        var response = await prometheus.GetAsync("api/v1/alerts");

        var firing = response["data"]!["alerts"]!.AsArray().Where(a => (string?)a!["state"] == "firing").Select(a => (string?)a!["labels"]!["alertname"]);
        Assert.Empty(firing);
    }

    private static double SingleValue(JsonObject response)
    {
        Assert.Equal("success", (string?)response["status"]);
        return ValueOf(response["data"]!["result"]!.AsArray().Single());
    }

    private static double ValueOf(JsonNode? sample) =>
        double.Parse((string)sample!["value"]![1]!, CultureInfo.InvariantCulture);
}
