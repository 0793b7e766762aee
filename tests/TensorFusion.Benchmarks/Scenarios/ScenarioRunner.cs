using System.Text.Json;
using BenchmarkDotNet.Running;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// `dotnet run -c Release --project tests/TensorFusion.Benchmarks -- &lt;scenario&gt; [--json]` prints one JSON object of
/// figures per scenario; `micro [BenchmarkDotNet args]` runs the BenchmarkDotNet micro-benchmarks.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>Every scenario; later features add theirs here.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new AllocationScenario(),
        new JsonDecodeScenario(),
        new EndToEndScenario(),
        new EstimatorsScenario(),
        new LocalClusterScenario(),
        new AgentScenario(),
        new OperatorScenario(),
        new AutoscalingScenario(),
        new GangsScenario(),
        new ShimScenario(),
        new FuzzScenario(),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync("usage: TensorFusion.Benchmarks <scenario>... [--json] | all [--json] | micro [BenchmarkDotNet args]");
            await output.WriteLineAsync("scenarios:");
            foreach (var scenario in All)
            {
                await output.WriteLineAsync($"  {scenario.Name,-14} {scenario.Description}");
            }

            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == ApiServerProcess.Verb)
        {
            return await ApiServerProcess.ServeAsync(args[1..], output);
        }

        if (args[0] == "micro")
        {
            BenchmarkSwitcher.FromAssembly(typeof(ScenarioRunner).Assembly).Run(args[1..]);
            return 0;
        }

        var names = args.Where(arg => !arg.StartsWith("--", StringComparison.Ordinal)).ToList();
        var selected = names is ["all"] ? All.ToList() : [];
        if (selected.Count == 0)
        {
            foreach (var name in names)
            {
                var scenario = All.FirstOrDefault(candidate => candidate.Name == name);
                if (scenario is null)
                {
                    await error.WriteLineAsync($"unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");
                    return 2;
                }

                selected.Add(scenario);
            }
        }

        foreach (var scenario in selected)
        {
            var figures = await scenario.RunAsync(CancellationToken.None);
            var result = new Dictionary<string, object> { ["scenario"] = scenario.Name };
            foreach (var (key, value) in figures)
            {
                result[key] = Math.Round(value, 3);
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(result));
        }

        return 0;
    }
}
