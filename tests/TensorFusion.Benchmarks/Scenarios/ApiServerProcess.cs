using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.LocalCluster;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// The embedded API server in a process of its own (this program with the hidden verb <c>serve-api</c>), so a
/// scenario measures the operator's memory apart from the control plane's, as they run in a cluster. The child
/// prints one JSON line with its address and token when it is ready, serves until its standard input closes, then
/// prints one JSON line with its own peak memory and CPU time.
/// </summary>
public sealed class ApiServerProcess : IAsyncDisposable
{
    public const string Verb = "serve-api";

    private readonly Process _process;
    private bool _stopped;

    private ApiServerProcess(Process process, Uri baseUri, string token)
    {
        _process = process;
        BaseUri = baseUri;
        Token = token;
    }

    public Uri BaseUri { get; }

    public string Token { get; }

    /// <summary>Starts the child with <paramref name="simulatedNodes"/> kubelet-simulated Nodes n0, n1, … and waits until it serves.</summary>
    public static async Task<ApiServerProcess> StartAsync(int simulatedNodes, int historyCapacity, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ApiServerProcess).Assembly.Location);
        }

        foreach (var argument in new[] { Verb, simulatedNodes.ToString(CultureInfo.InvariantCulture), historyCapacity.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the API server process");
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromMinutes(2), cancellationToken)
            ?? throw new InvalidOperationException($"the API server process exited before it served (exit code {(process.HasExited ? process.ExitCode : -1)})");
        var ready = JsonNode.Parse(line)!;
        return new ApiServerProcess(process, new Uri(ready["baseUri"]!.GetValue<string>()), ready["token"]!.GetValue<string>());
    }

    /// <summary>The child's side: serves until standard input closes.</summary>
    public static async Task<int> ServeAsync(string[] args, TextWriter output)
    {
        var nodes = int.Parse(args[0], CultureInfo.InvariantCulture);
        var history = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using (var server = await LocalApiServer.StartAsync(
            new LocalApiServerOptions
            {
                // No node agents here: worker claims (TF_E2E_DRA_CLAIMS=1) are written by the operator but not prepared.
                UseHttps = false, PodStartDelay = TimeSpan.FromMilliseconds(200), WatchHistoryCapacity = history, PrepareResourceClaims = false,
            }, CancellationToken.None))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, nodes), async (i, _) => await server.AddSimulatedNodeAsync($"n{i.ToString(CultureInfo.InvariantCulture)}"));
            await output.WriteLineAsync(JsonSerializer.Serialize(new { baseUri = server.BaseUri.ToString(), token = server.Token }));
            await output.FlushAsync();
            while (await Console.In.ReadLineAsync() is not null)
            {
                // Nothing is sent; end of input means stop.
            }
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        await output.WriteLineAsync(JsonSerializer.Serialize(new { peakMemoryMb = self.PeakWorkingSet64 / (1024.0 * 1024.0), cpuSeconds = self.TotalProcessorTime.TotalSeconds }));
        return 0;
    }

    /// <summary>Stops the child and returns its peak working set (MB) and CPU seconds.</summary>
    public async Task<(double PeakMemoryMb, double CpuSeconds)> StopAsync()
    {
        _stopped = true;
        _process.StandardInput.Close();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var figures = JsonNode.Parse(line ?? throw new InvalidOperationException("the API server process printed no figures"))!;
        return (figures["peakMemoryMb"]!.GetValue<double>(), figures["cpuSeconds"]!.GetValue<double>());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
