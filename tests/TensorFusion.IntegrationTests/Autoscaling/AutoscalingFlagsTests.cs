using System.CommandLine;
using TensorFusion.Host.Cli;

namespace TensorFusion.IntegrationTests.Autoscaling;

/// <summary>The operator's autoscaling flags: bad values are refused before anything connects, naming the flag.</summary>
[Trait("Category", "Integration")]
public sealed class AutoscalingFlagsTests
{
    [Theory]
    [InlineData("--prometheus-url", "prometheus:9090", "--prometheus-url \"prometheus:9090\" is not an http:// or https:// URL")]
    [InlineData("--prometheus-url", "ftp://prometheus", "--prometheus-url \"ftp://prometheus\" is not an http:// or https:// URL")]
    [InlineData("--autoscaling-interval", "0", "--autoscaling-interval must be positive")]
    [InlineData("--autoscaling-checkpoint-interval", "-1", "--autoscaling-checkpoint-interval must be positive")]
    public async Task Operator_BadAutoscalingFlag_ExitCode2NamingIt(string flag, string value, string expected)
    {
        var output = new StringWriter();

        var exitCode = await TensorFusionCli.Create().Parse(["operator", flag, value]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
    }
}
