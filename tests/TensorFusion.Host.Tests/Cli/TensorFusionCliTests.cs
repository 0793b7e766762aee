using System.CommandLine;
using TensorFusion.Host.Cli;

namespace TensorFusion.Host.Tests.Cli;

public sealed class TensorFusionCliTests
{
    [Fact]
    public async Task Invoke_Help_DescribesTheProduct()
    {
        var (exitCode, output) = await InvokeAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("GPU-pooling engine", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnknownVerb_FailsWithNonZeroExit()
    {
        var (exitCode, _) = await InvokeAsync("no-such-verb");

        Assert.NotEqual(0, exitCode);
    }

    internal static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = output };
        var exitCode = await TensorFusionCli.Create().Parse(args).InvokeAsync(configuration);
        return (exitCode, output.ToString());
    }
}
