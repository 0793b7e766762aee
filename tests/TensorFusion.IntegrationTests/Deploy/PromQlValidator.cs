namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// Checks PromQL without a server: each expression becomes a recording rule in a temporary rules file and
/// <c>promtool check rules</c> parses them all, naming the rule (hence the query) that does not parse.
/// </summary>
internal static class PromQlValidator
{
    public static async Task<ToolResult> CheckAsync(IReadOnlyList<(string Name, string Expression)> expressions)
    {
        var directory = Directory.CreateTempSubdirectory("tensorfusion-promql-");
        try
        {
            var file = Path.Combine(directory.FullName, "queries.yaml");
            using (var writer = new StreamWriter(file))
            {
                await writer.WriteLineAsync("groups:\n  - name: dashboard-and-alert-queries\n    rules:");
                for (var i = 0; i < expressions.Count; i++)
                {
                    // The record name carries the index so promtool's error names the query; the expression is
                    // a YAML block scalar so quotes and braces need no escaping.
                    await writer.WriteLineAsync($"      - record: tensorfusion_check:query_{i}");
                    await writer.WriteLineAsync("        expr: |-");
                    foreach (var line in expressions[i].Expression.Split('\n'))
                    {
                        await writer.WriteLineAsync("          " + line);
                    }
                }
            }

            return await ExternalTool.RunAsync("promtool", ExternalTool.PrometheusHint, ["check", "rules", "--lint=none", file]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
