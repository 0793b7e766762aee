using System.CommandLine;
using TensorFusion.Host.Cli;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>The operator's agent and allocation flags: bad values stop it with an error naming the flag.</summary>
[Trait("Category", "Integration")]
public sealed class OperatorAgentFlagsTests
{
    [Fact]
    public async Task Operator_MissingAgentTokenFile_ExitCode2NamingTheFlag()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tf-no-token-{Guid.NewGuid():N}");

        var (exitCode, output) = await InvokeAsync("operator", "--agent-token-file", missing);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--agent-token-file \"{missing}\" cannot be read", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_EmptyAgentTokenFile_ExitCode2NamingTheFlag()
    {
        var empty = Path.Combine(Path.GetTempPath(), $"tf-empty-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(empty, "\n");
        try
        {
            var (exitCode, output) = await InvokeAsync("operator", "--agent-token-file", empty);

            Assert.Equal(2, exitCode);
            Assert.Contains("--agent-token-file", output, StringComparison.Ordinal);
            Assert.Contains("is empty", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Theory]
    [InlineData("--agent-port", "0", "--agent-port must be between 1 and 65535")]
    [InlineData("--agent-timeout", "0", "--agent-timeout must be positive")]
    [InlineData("--allocation-batch-size", "0", "--allocation-batch-size must be at least 1")]
    public async Task Operator_InvalidAllocationFlag_ExitCode2NamingTheFlag(string flag, string value, string message)
    {
        var (exitCode, output) = await InvokeAsync("operator", flag, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await TensorFusionCli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
