using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// libtfshim's launch overhead: builds native/ (with its test doubles) under artifacts/native-shim-bench, runs
/// <c>tfshim_bench</c> with the shim preloaded against the fake driver and reports its figures. Goal: the hook adds
/// ≤ 100 ns per launch with a non-empty token bucket (docs/limiter.md).
/// </summary>
public sealed class ShimScenario : IScenario
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    public string Name => "shim";

    public string Description => "libtfshim: ns the hook adds per cuLaunchKernel (fake driver, non-empty bucket)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var repository = FindRepositoryRoot();
        var native = Path.Combine(repository, "native");
        var build = Path.Combine(repository, "artifacts", "native-shim-bench");
        await RunAsync("cmake", ["-S", native, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], [], cancellationToken);
        await RunAsync("cmake", ["--build", build, "--target", "tfshim_bench", "-j", "2"], [], cancellationToken);
        var output = await RunAsync(
            Path.Combine(build, "tfshim_bench"),
            ["2000000"],
            [("LD_PRELOAD", Path.Combine(build, "libtfshim.so")), ("LD_LIBRARY_PATH", Path.Combine(build, "fakedriver"))],
            cancellationToken);
        var figures = JsonNode.Parse(output) ?? throw new InvalidOperationException($"tfshim_bench printed no JSON: {output}");
        return new Dictionary<string, double>
        {
            ["launchOverheadNs"] = figures["launchOverheadNs"]!.GetValue<double>(),
            ["hookedLaunchNs"] = figures["hookedNs"]!.GetValue<double>(),
            ["unhookedLaunchNs"] = figures["directNs"]!.GetValue<double>(),
        };
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "native", "CMakeLists.txt")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no native/CMakeLists.txt above {AppContext.BaseDirectory}: run the shim scenario from a checkout");
    }

    private static async Task<string> RunAsync(string file, string[] arguments, (string Name, string Value)[] environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(StepTimeout, cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
