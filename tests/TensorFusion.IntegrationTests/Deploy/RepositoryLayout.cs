namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>Paths of the deploy artefacts, found from the test binary by walking up to the solution file.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    public static string AlertRulesFile => Deploy("prometheus", "rules", "tensorfusion-alerts.yaml");

    public static string MetricsContractFile => Path.Combine(Root, "docs", "metrics.md");

    public static string OperationsGuideFile => Path.Combine(Root, "docs", "operations.md");

    public static IReadOnlyList<string> DashboardFiles =>
        [.. Directory.GetFiles(Deploy("grafana"), "*.json").Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"TensorFusion.slnx not found above {AppContext.BaseDirectory}; the deploy tests read deploy/ from the repository.");
    }
}
