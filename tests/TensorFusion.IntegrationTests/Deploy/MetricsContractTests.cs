using System.Text.RegularExpressions;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed partial class MetricsContractTests
{
    [Fact]
    public void MetricNames_Contract_ParsesBothTablesIncludingShorthand()
    {
        var names = MetricsContract.MetricNames();

        // 26 agent rows (10 of them the limiter's) + 33 operator names (4 shorthand rows expand to 2 and one to 4).
        Assert.Equal(26 + 33, names.Count);
        Assert.Contains("tensorfusion_pool_capacity_vram_bytes", names);
        Assert.Contains("tensorfusion_node_allocated_vram_bytes", names);
        Assert.Contains("tensorfusion_workload_recommendation_vram_bytes", names);
    }

    [Fact]
    public void SampleMetrics_CoverEveryMetricOfTheContract_AndNothingElse()
    {
        var exposed = ExposedFamilies(SampleMetrics.Operator(1) + SampleMetrics.Agent(1, DateTimeOffset.UnixEpoch));

        Assert.Equal(MetricsContract.MetricNames().Order(StringComparer.Ordinal), exposed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SampleMetrics_Histograms_AreExposedAsHistograms()
    {
        var text = SampleMetrics.Operator(3);

        foreach (var histogram in MetricsContract.HistogramNames())
        {
            Assert.Contains($"# TYPE {histogram} histogram", text, StringComparison.Ordinal);
            Assert.Contains($"{histogram}_bucket{{", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DashboardsAndAlerts_ReadOnlyMetricsOfTheContract()
    {
        var contract = MetricsContract.MetricNames();
        var used = DashboardCatalog.Queries().Select(q => (Where: q.ToString(), q.Expression))
            .Concat(AlertRuleFileTests.RuleExpressions().Select(r => (Where: r.Name, r.Expression)));

        foreach (var (where, expression) in used)
        {
            foreach (var metric in MetricsContract.MetricsIn(expression))
            {
                Assert.True(contract.Contains(metric), $"{where} reads {metric}, which docs/metrics.md does not define");
            }
        }
    }

    [Fact]
    public void Dashboards_TogetherShowEveryContractMetric()
    {
        var shown = DashboardCatalog.Queries().SelectMany(q => MetricsContract.MetricsIn(q.Expression)).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(MetricsContract.MetricNames().Except(shown).Order(StringComparer.Ordinal));
    }

    private static HashSet<string> ExposedFamilies(string exposition) =>
        TypeLine().Matches(exposition).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
