namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>One PromQL query of one dashboard panel, with Grafana's variables already replaced.</summary>
internal sealed record DashboardQuery(string Dashboard, string Panel, string RefId, string RawExpression, string Expression)
{
    public override string ToString() => $"{Dashboard} / {Panel} / {RefId}: {Expression}";
}
