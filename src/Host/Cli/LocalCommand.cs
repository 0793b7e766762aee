using System.CommandLine;
using TensorFusion.Host.Hosting;
using TensorFusion.Host.Local;

namespace TensorFusion.Host.Cli;

/// <summary>`tensorfusion local`: the whole engine on one machine, kubectl-compatible.</summary>
public static class LocalCommand
{
    public static Command Create()
    {
        var defaults = new LocalModeOptions();
        var stateDir = new Option<string>("--state-dir") { Description = "Folder for state, kubeconfig and endpoints.json; reused on restart", DefaultValueFactory = _ => defaults.StateDirectory };
        var port = new Option<int>("--port") { Description = "API server port on 127.0.0.1 (0 picks a free port)", DefaultValueFactory = _ => defaults.Port };
        var nodes = new Option<int>("--nodes") { Description = "Number of simulated GPU nodes", DefaultValueFactory = _ => defaults.Nodes };
        var gpusPerNode = new Option<int>("--gpus-per-node") { Description = "GPUs on each simulated node", DefaultValueFactory = _ => defaults.GpusPerNode };
        var gpuModel = new Option<string>("--gpu-model") { Description = "GPU model of the simulated nodes (H100, A100-80GB, H200, …)", DefaultValueFactory = _ => defaults.GpuModel };
        var noPrometheus = new Option<bool>("--no-prometheus") { Description = "Do not start a local Prometheus even when it is installed" };

        var command = new Command("local", "Run everything on this machine: embedded control plane, simulated GPU nodes with agents, and the operator. Ctrl-C stops it; state is kept in --state-dir.")
        {
            stateDir, port, nodes, gpusPerNode, gpuModel, noPrometheus,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = new LocalModeOptions
            {
                StateDirectory = parseResult.GetValue(stateDir)!,
                Port = parseResult.GetValue(port),
                Nodes = parseResult.GetValue(nodes),
                GpusPerNode = parseResult.GetValue(gpusPerNode),
                GpuModel = parseResult.GetValue(gpuModel)!,
                StartPrometheus = !parseResult.GetValue(noPrometheus),
            };
            if (await CliProblems.ReportAsync(error, options.Validate()))
            {
                return 2;
            }

            using var signals = new ShutdownSignals(cancellationToken);
            var progress = new SynchronousProgress(message => output.WriteLine($"  … {message}"));
            await output.WriteLineAsync("Starting TensorFusion local mode");
            await using var environment = await LocalEnvironment.StartAsync(options, progress, signals.Token);
            await output.WriteLineAsync(LocalBanner.Render(environment));
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("Stopping (state is kept; run the same command to resume)…");
            }

            return 0;
        });
        return command;
    }
}
