namespace TensorFusion.Host.Cli;

/// <summary>How every verb reports invalid input: one "error: …" line per problem on stderr, then a non-zero exit.</summary>
public static class CliProblems
{
    /// <summary>Writes each problem; true when there was any, so the verb should stop.</summary>
    public static async Task<bool> ReportAsync(TextWriter error, IReadOnlyCollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"error: {problem}");
        }

        return problems.Count > 0;
    }
}
