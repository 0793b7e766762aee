using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>Reads the Grafana dashboards in deploy/grafana and turns their panel targets into runnable PromQL.</summary>
internal static partial class DashboardCatalog
{
    /// <summary>
    /// What the queries see instead of Grafana's variables: every template variable is used as a regex
    /// matcher (<c>=~"$pool"</c>), so ".*" stands for "All"; the rate window is one minute, enough for
    /// a 1 s scrape interval.
    /// </summary>
    public static string SubstituteVariables(string expression) =>
        TemplateVariable().Replace(expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal), ".*");

    public static IReadOnlyList<(string File, JsonObject Dashboard)> Load() =>
        [.. RepositoryLayout.DashboardFiles.Select(file => (Path.GetFileName(file), Parse(file)))];

    private static JsonObject Parse(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                ?? throw new InvalidDataException($"{file}: the top level is not a JSON object");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({exception.Message})", exception);
        }
    }

    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray()
            .Select(panel => panel!.AsObject())
            .SelectMany(panel => new[] { panel }.Concat(panel["panels"]?.AsArray().Select(inner => inner!.AsObject()) ?? []));

    public static IReadOnlyList<DashboardQuery> Queries() =>
        [.. Load().SelectMany(entry => Panels(entry.Dashboard)
            .Where(panel => panel["targets"] is JsonArray)
            .SelectMany(panel => panel["targets"]!.AsArray().Select(target => new DashboardQuery(
                entry.File,
                (string)panel["title"]!,
                (string)target!["refId"]!,
                (string)target["expr"]!,
                SubstituteVariables((string)target["expr"]!)))))];

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex TemplateVariable();
}
