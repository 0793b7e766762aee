using System.Diagnostics;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// Runs the external tools the deploy tests rely on (kubectl for kustomize, promtool, prometheus) and
/// fails with an install hint, not a bare Win32Exception, when one is missing.
/// </summary>
internal static class ExternalTool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string Require(string tool, string installHint)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"'{tool}' is not on PATH. {installHint}");
        return path!;
    }

    public static async Task<ToolResult> RunAsync(string tool, string installHint, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(Require(tool, installHint))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {tool}");
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var standardOutput = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var standardError = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', startInfo.ArgumentList)} did not finish within {timeout ?? DefaultTimeout}");
        }

        return new ToolResult(process.ExitCode, await standardOutput, await standardError);
    }

    public const string KubectlHint = "Install kubectl >= 1.27 (it bundles kustomize), e.g. from https://dl.k8s.io/release/.";

    public const string PrometheusHint = "Install the Debian package 'prometheus' (gives prometheus and promtool); test.sh does this on fresh machines.";
}
