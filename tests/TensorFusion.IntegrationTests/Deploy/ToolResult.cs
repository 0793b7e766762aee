namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>What an external command-line tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
