using System.Diagnostics;

namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>Runs the installed kubectl against a test cluster, with its own kubeconfig and a fresh discovery cache.</summary>
public sealed class Kubectl(TestCluster cluster, string cacheName = "kube-cache")
{
    private readonly string _cacheDirectory = Path.Combine(cluster.Directory, cacheName);

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments, string? input = null, TimeSpan? timeout = null)
    {
        var process = Start(arguments, input is not null);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts a long-running kubectl (such as get -w) whose output the test reads line by line.</summary>
    public Process Start(string arguments, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(cluster.KubeconfigPath);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(_cacheDirectory);
        foreach (var argument in SplitArguments(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOME"] = cluster.Directory;
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    /// <summary>Splits on spaces, keeping single-quoted parts together (enough for test command lines).</summary>
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var parts = arguments.Split('\'');
        for (var index = 0; index < parts.Length; index++)
        {
            if (index % 2 == 1)
            {
                yield return parts[index];
                continue;
            }

            foreach (var word in parts[index].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return word;
            }
        }
    }
}
