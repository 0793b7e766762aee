using System.Text.Json.Nodes;
using TensorFusion.IntegrationTests.Deploy;

namespace TensorFusion.IntegrationTests.Local;

/// <summary>
/// The local Prometheus that `tensorfusion local` starts, queried the way Grafana would: every dashboard panel query
/// and every alert expression must be valid PromQL on real local-mode data, and the dashboards' main panels must
/// return series.
/// </summary>
internal static class LocalPrometheusChecks
{
    /// <summary>Per dashboard, the panels a user looks at first; each must show data in local mode.</summary>
    private static readonly (string Dashboard, string Panel)[] MainPanels =
    [
        ("tensorfusion-pool-overview.json", "Ready GPU nodes"),
        ("tensorfusion-pool-overview.json", "TFLOPs capacity"),
        ("tensorfusion-pool-overview.json", "TFLOPs allocated"),
        ("tensorfusion-node-gpu.json", "Compute utilisation"),
        ("tensorfusion-node-gpu.json", "Memory in use"),
        ("tensorfusion-node-gpu.json", "TFLOPs: allocated by the node plan vs capacity"),
        ("tensorfusion-operator-health.json", "Reconciles per second by result"),
        ("tensorfusion-operator-health.json", "Objects in cache"),
        ("tensorfusion-workload-autoscaling.json", "TFLOPs used per worker"),
    ];

    public static async Task RunAsync(LocalProcess local)
    {
        ExternalTool.Require("prometheus", ExternalTool.PrometheusHint);
        var address = (string?)local.Endpoints["prometheus"];
        Assert.True(address is not null, $"prometheus is installed but local did not start it:\n{local.Output}");
        using var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromSeconds(10) };

        // Prometheus is an external process with no change signal: poll its API, bounded by a deadline.
        await PollAsync(http, "count(up{job=~\"tensorfusion-(operator|agent)\"} == 1)", result => Value(result) == 3, "the operator and both agents scraped");
        var queries = DashboardCatalog.Queries().Select(q => q with { Expression = q.Expression.Replace("[1m]", "[30s]", StringComparison.Ordinal) }).ToList();
        foreach (var (dashboard, panel) in MainPanels)
        {
            var query = queries.First(q => q.Dashboard == dashboard && q.Panel == panel);
            await PollAsync(http, query.Expression, result => result.Count > 0, $"{dashboard} / {panel} returns data");
        }

        var failures = new List<string>();
        foreach (var query in queries)
        {
            var response = await QueryAsync(http, query.Expression);
            if ((string?)response["status"] != "success")
            {
                failures.Add($"{query}: {response["error"]}");
            }
        }

        foreach (var (name, expression) in AlertRuleFileTests.RuleExpressions())
        {
            var response = await QueryAsync(http, expression);
            if ((string?)response["status"] != "success")
            {
                failures.Add($"rule {name}: {response["error"]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task PollAsync(HttpClient http, string expression, Func<JsonArray, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(90);
        JsonObject? last = null;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            last = await QueryAsync(http, expression);
            if ((string?)last["status"] == "success" && done(last["data"]!["result"]!.AsArray()))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        }

        Assert.Fail($"timed out waiting until {what}: {expression} → {last?.ToJsonString()}");
    }

    private static async Task<JsonObject> QueryAsync(HttpClient http, string expression)
    {
        using var response = await http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(expression), UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static double Value(JsonArray result) =>
        result.Count == 0 ? 0 : double.Parse((string)result[0]!["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture);
}
