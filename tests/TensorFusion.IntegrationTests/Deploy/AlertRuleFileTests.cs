using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

[Trait("Category", "Deploy")]
public sealed class AlertRuleFileTests
{
    private static readonly string[] RequiredAlerts =
    [
        "TensorFusionGPUMemorySaturated", "TensorFusionGPUComputeSaturated", "TensorFusionAllocationFailures",
        "TensorFusionWorkloadStuckPending", "TensorFusionAgentHeartbeatLost", "TensorFusionRecommendationFarFromRequest",
        "TensorFusionOperatorDown", "TensorFusionReconcileErrors",
    ];

    [Fact]
    public async Task PromtoolCheckRules_PlainRulesFile_Succeeds()
    {
        var result = await ExternalTool.RunAsync("promtool", ExternalTool.PrometheusHint, ["check", "rules", RepositoryLayout.AlertRulesFile]);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void PrometheusRule_Groups_EqualThePlainRulesFile()
    {
        var plain = YamlDocuments.ParseSingle(RepositoryLayout.AlertRulesFile)["groups"]!;
        var wrapped = YamlDocuments.ParseSingle(RepositoryLayout.Deploy("monitoring", "prometheus-operator", "prometheusrule.yaml"))["spec"]!["groups"]!;

        Assert.True(JsonNode.DeepEquals(plain, wrapped),
            "deploy/monitoring/prometheus-operator/prometheusrule.yaml spec.groups differ from deploy/prometheus/rules/tensorfusion-alerts.yaml groups; copy the groups over.");
    }

    [Fact]
    public void Alerts_RequiredSet_IsPresentWithSeverityAndRunbook()
    {
        var alerts = AlertRules().ToList();

        Assert.Empty(RequiredAlerts.Except(alerts.Select(a => (string)a["alert"]!)));
        foreach (var alert in alerts)
        {
            Assert.Contains((string?)alert["labels"]?["severity"], new[] { "critical", "warning", "info" });
            var runbook = (string?)alert["annotations"]?["runbook_url"] ?? string.Empty;
            Assert.EndsWith("#" + ((string)alert["alert"]!).ToLowerInvariant(), runbook, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace((string?)alert["annotations"]?["summary"]), $"{alert["alert"]} has no summary");
        }
    }

    [Fact]
    public void OperationsGuide_HasASectionForEveryAlert()
    {
        var guide = File.ReadAllText(RepositoryLayout.OperationsGuideFile);

        foreach (var alert in AlertRules())
        {
            Assert.Contains($"### {alert["alert"]}", guide, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ScrapeConfig_JobsMatchTheAlertJobLabelsAndTheRenderedServicePorts()
    {
        var jobs = YamlDocuments.ParseSingle(RepositoryLayout.Deploy("prometheus", "scrape-config.yaml"))["scrape_configs"]!.AsArray()
            .ToDictionary(job => (string)job!["job_name"]!, job => job!);

        // The keep rule selects "<service>;<port name>" from deploy/base: operator Service port http-metrics, agent port http.
        Assert.Equal("tensorfusion-operator;http-metrics", KeepRegex(jobs["tensorfusion-operator"]));
        Assert.Equal("tensorfusion-agent;https", KeepRegex(jobs["tensorfusion-agent"]));
        Assert.Equal(["tensorfusion-agent", "tensorfusion-operator"], jobs.Keys.Order(StringComparer.Ordinal));
        var rulesText = File.ReadAllText(RepositoryLayout.AlertRulesFile);
        Assert.Contains("job=\"tensorfusion-operator\"", rulesText, StringComparison.Ordinal);
        Assert.Contains("job=\"tensorfusion-agent\"", rulesText, StringComparison.Ordinal);
    }

    internal static IEnumerable<JsonObject> AlertRules() => AllRules().Where(rule => rule["alert"] is not null);

    /// <summary>Every rule's name (alert or record) and expression: what PromQL checks must cover.</summary>
    internal static IEnumerable<(string Name, string Expression)> RuleExpressions() =>
        AllRules().Select(rule => ((string)(rule["alert"] ?? rule["record"])!, (string)rule["expr"]!));

    private static IEnumerable<JsonObject> AllRules() =>
        YamlDocuments.ParseSingle(RepositoryLayout.AlertRulesFile)["groups"]!.AsArray()
            .SelectMany(group => group!["rules"]!.AsArray())
            .Select(rule => rule!.AsObject());

    private static string? KeepRegex(JsonNode job) =>
        (string?)job["relabel_configs"]!.AsArray().Single(r => (string?)r!["action"] == "keep")!["regex"];
}
