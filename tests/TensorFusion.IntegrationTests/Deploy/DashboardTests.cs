using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed class DashboardTests
{
    private static readonly string[] RequiredDashboards =
    [
        "tensorfusion-node-gpu.json", "tensorfusion-operator-health.json",
        "tensorfusion-pool-overview.json", "tensorfusion-workload-autoscaling.json",
    ];

    [Fact]
    public void Dashboards_RequiredSet_ExistsWithUniqueUids()
    {
        var dashboards = DashboardCatalog.Load();

        Assert.Equal(RequiredDashboards, dashboards.Select(d => d.File));
        Assert.Equal(dashboards.Count, dashboards.Select(d => (string?)d.Dashboard["uid"]).Distinct().Count());
    }

    [Fact]
    public void Dashboards_Every_HasAPrometheusDatasourceVariableUsedByEveryPanel()
    {
        foreach (var (file, dashboard) in DashboardCatalog.Load())
        {
            Assert.True((int?)dashboard["schemaVersion"] >= 36, $"{file}: schemaVersion below Grafana 10's");
            var variables = dashboard["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).ToList();
            var datasource = variables.SingleOrDefault(v => (string?)v["name"] == "datasource");
            Assert.True(datasource is not null, $"{file}: no 'datasource' template variable");
            Assert.Equal(("datasource", "prometheus"), ((string?)datasource["type"], (string?)datasource["query"]));

            foreach (var panel in DashboardCatalog.Panels(dashboard).Where(p => (string?)p["type"] != "row"))
            {
                Assert.True((string?)panel["datasource"]?["uid"] == "${datasource}", $"{file}: panel '{panel["title"]}' does not use ${{datasource}}");
                Assert.True(panel["targets"] is JsonArray { Count: > 0 }, $"{file}: panel '{panel["title"]}' has no query");
                foreach (var target in panel["targets"]!.AsArray())
                {
                    Assert.Equal("${datasource}", (string?)target!["datasource"]?["uid"]);
                }
            }

            foreach (var variable in variables.Where(v => (string?)v["type"] == "query"))
            {
                Assert.Equal("${datasource}", (string?)variable["datasource"]?["uid"]);
            }
        }
    }

    [Fact]
    public void Dashboards_Every_HasUniquePanelIdsAndNoOverlappingPanels()
    {
        foreach (var (file, dashboard) in DashboardCatalog.Load())
        {
            var panels = DashboardCatalog.Panels(dashboard).ToList();
            Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
            var cells = new HashSet<(int X, int Y)>();
            foreach (var panel in panels)
            {
                var grid = panel["gridPos"]!;
                int x = (int)grid["x"]!, y = (int)grid["y"]!, w = (int)grid["w"]!, h = (int)grid["h"]!;
                Assert.True(x + w <= 24, $"{file}: panel '{panel["title"]}' is wider than the 24-column grid");
                for (var column = x; column < x + w; column++)
                {
                    for (var row = y; row < y + h; row++)
                    {
                        Assert.True(cells.Add((column, row)), $"{file}: panel '{panel["title"]}' overlaps another at ({column},{row})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Dashboards_TemplateVariables_AreAllUsedAsRegexMatchers()
    {
        // SubstituteVariables replaces every variable with ".*", which is only right for =~ matchers.
        foreach (var query in DashboardCatalog.Queries())
        {
            Assert.DoesNotContain("=\"$", query.RawExpression.Replace("=~\"$", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PromtoolCheckRules_EveryPanelQueryAndRuleExpression_IsValidPromQl()
    {
        var expressions = DashboardCatalog.Queries().Select(q => (Name: q.ToString(), q.Expression))
            .Concat(AlertRuleFileTests.RuleExpressions())
            .ToList();

        var result = await PromQlValidator.CheckAsync(expressions);

        var legend = string.Join('\n', expressions.Select((e, i) => $"query_{i}: {e.Name}"));
        Assert.True(result.ExitCode == 0, $"{result.Describe()}\n{legend}");
        Assert.Contains($"SUCCESS: {expressions.Count} rules found", result.StandardOutput, StringComparison.Ordinal);
    }
}
