using TensorFusion.Pipelines.Autoscaling;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.MetricsSources;

namespace TensorFusion.Pipelines.Tests.Autoscaling;

public sealed class AutoscalingAccessTests
{
    private static IReadOnlyList<string> NoNodes() => [];

    [Fact]
    public void OverHttp_PrometheusUrl_ReadsPrometheusOtherwiseScrapesAgents()
    {
        using var http = new HttpClient();
        var options = new AutoscalingOptions();

        var withPrometheus = AutoscalingAccess.OverHttp(http, new Uri("http://prometheus:9090/"), () => null, TimeProvider.System, options);
        var local = AutoscalingAccess.OverHttp(http, null, () => "token", TimeProvider.System, options);

        Assert.IsType<PrometheusUsageSource>(withPrometheus.CreateUsageSource(NoNodes, _ => null));
        Assert.IsType<AgentScrapeUsageSource>(local.CreateUsageSource(NoNodes, _ => null));
        Assert.IsType<HttpExternalScaler>(local.CreateExternalScaler!(new KubeRestClient(http, new Uri("http://api/"))));
    }

    [Theory]
    [InlineData(0, "--autoscaling-interval must be positive")]
    [InlineData(31 * 24 * 60, "the autoscaling history period must be between 0 and 30 days")]
    public void Validate_BadSetting_NamesIt(int minutes, string expected)
    {
        var options = minutes == 0
            ? new AutoscalingOptions { Tick = TimeSpan.Zero }
            : new AutoscalingOptions { HistoryDataPeriod = TimeSpan.FromMinutes(minutes) };

        Assert.Equal(expected, options.Validate());
        Assert.Null(new AutoscalingOptions().Validate());
    }
}
