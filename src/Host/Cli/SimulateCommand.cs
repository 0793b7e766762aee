using System.CommandLine;
using System.Text.Json;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Simulation;
using TensorFusion.Pipelines.Simulation;

namespace TensorFusion.Host.Cli;

/// <summary>
/// <c>tensorfusion simulate --fleet fleet.yaml --workloads workloads.yaml [--strategy S] [--output json|table]</c>:
/// places every worker of the workloads on a simulated fleet with the real allocator and reports the outcome.
/// </summary>
public static class SimulateCommand
{
    private static readonly JsonSerializerOptions ReportJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var fleet = new Option<FileInfo>("--fleet") { Description = "fleet.yaml: node groups {namePrefix, count, pool, labels, gpu: {model, count}}", Required = true };
        var workloads = new Option<FileInfo>("--workloads")
        {
            Description = "YAML of TensorFusionWorkload documents (plus optional GPUPool, SchedulingConfigTemplate, GPUResourceQuota)",
            Required = true,
        };
        var strategy = new Option<string?>("--strategy") { Description = "Override every pool's placement: CompactFirst, LowLoadFirst or NodeCompactGPULowLoad" };
        strategy.AcceptOnlyFromAmong("CompactFirst", "LowLoadFirst", "NodeCompactGPULowLoad");
        var output = new Option<string>("--output") { Description = "json (one object) or table", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("json", "table");
        var batchSize = new Option<int>("--batch-size") { Description = "Requests per allocator batch in input order (0 = one batch)", DefaultValueFactory = _ => 0 };
        var catalog = new Option<FileInfo?>("--gpu-catalog") { Description = "JSON overrides for the GPU model catalog ({\"models\": [...]})" };

        var command = new Command("simulate", "Offline what-if: place workloads on a simulated fleet with the real batch allocator.")
        {
            fleet, workloads, strategy, output, batchSize, catalog,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var fleetFile = parseResult.GetValue(fleet)!;
            var workloadsFile = parseResult.GetValue(workloads)!;
            var catalogFile = parseResult.GetValue(catalog);
            if (parseResult.GetValue(batchSize) < 0)
            {
                await stderr.WriteLineAsync("simulate: --batch-size must be 0 (one batch) or positive");
                return 1;
            }

            foreach (var file in new[] { fleetFile, workloadsFile, catalogFile }.OfType<FileInfo>().Where(file => !file.Exists))
            {
                await stderr.WriteLineAsync($"simulate: file '{file.FullName}' not found");
                return 1;
            }

            var models = GpuModelCatalog.Default;
            if (catalogFile is not null)
            {
                try
                {
                    models = models.WithOverrides(await File.ReadAllTextAsync(catalogFile.FullName, cancellationToken));
                }
                catch (InvalidDataException error)
                {
                    await stderr.WriteLineAsync($"simulate: {catalogFile.Name}: {error.Message}");
                    return 1;
                }
            }

            var (input, errors) = SimulationInputReader.Read(
                await File.ReadAllTextAsync(fleetFile.FullName, cancellationToken), fleetFile.Name,
                await File.ReadAllTextAsync(workloadsFile.FullName, cancellationToken), workloadsFile.Name,
                parseResult.GetValue(strategy) is { } name ? Enum.Parse<PlacementStrategy>(name, ignoreCase: true) : null,
                models,
                parseResult.GetValue(batchSize));
            if (input is null)
            {
                foreach (var error in errors)
                {
                    await stderr.WriteLineAsync($"simulate: {error}");
                }

                return 1;
            }

            var report = SimulationRunner.Run(input, TimeProvider.System, stderr.WriteLine);
            if (parseResult.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ReportJson));
            }
            else
            {
                SimulationTableWriter.Write(report, input.Pools, stdout);
            }

            return 0;
        });
        return command;
    }
}
