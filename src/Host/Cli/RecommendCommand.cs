using System.CommandLine;
using System.Globalization;
using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Autoscaling.WhatIf;
using TensorFusion.Pipelines.Autoscaling;

namespace TensorFusion.Host.Cli;

/// <summary>
/// `tensorfusion recommend`: the offline what-if. Replays recorded usage through the same estimators the operator runs
/// and prints the recommendation with the reasoning behind every number.
/// </summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var workload = new Option<FileInfo>("--workload") { Description = "TensorFusionWorkload manifest (YAML or JSON): spec.resources, qos and autoScalingConfig drive the result", Required = true };
        var samples = new Option<FileInfo>("--samples") { Description = "Usage CSV with the header timestamp,worker,tflops,vram_bytes (timestamp RFC 3339 or Unix seconds)", Required = true };
        var now = new Option<string?>("--now") { Description = "Evaluation time (RFC 3339); defaults to the last sample's time" };
        var output = new Option<string>("--output") { Description = "json (one object) or table", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("json", "table");

        var command = new Command("recommend", "What would the autoscaler recommend for this workload given this usage? Offline; no cluster needed, so no GPU-headroom cap applies.")
        {
            workload, samples, now, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var problems = new List<string>();

            DateTimeOffset? evaluateAt = null;
            if (parseResult.GetValue(now) is { } nowText)
            {
                if (DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    evaluateAt = parsed;
                }
                else
                {
                    problems.Add($"--now: '{nowText}' is not an RFC 3339 time such as 2026-03-02T12:00:00Z");
                }
            }

            var mapped = await ReadWorkloadAsync(parseResult.GetValue(workload)!, problems, cancellationToken);
            var usage = await ReadSamplesAsync(parseResult.GetValue(samples)!, problems, cancellationToken);
            if (await CliProblems.ReportAsync(stderr, problems) || mapped is null || usage is null)
            {
                return 1;
            }

            var outcome = WhatIfRecommender.Run(mapped.Value.Target, mapped.Value.Created, usage, evaluateAt, TimeProvider.System.GetUtcNow());
            if (outcome.Recommendation.Errors.Count > 0)
            {
                foreach (var problem in outcome.Recommendation.Errors)
                {
                    await stderr.WriteLineAsync($"error: {parseResult.GetValue(workload)!.Name}: {problem}");
                }

                return 1;
            }

            await stdout.WriteLineAsync(parseResult.GetValue(output) == "json"
                ? RecommendationReport.Json(outcome)
                : RecommendationReport.Table(mapped.Value.Target.Key, outcome));
            return 0;
        });
        return command;
    }

    /// <summary>The workload as the operator's autoscaler reads it (same mapper), and its creation time if the file has one.</summary>
    private static async Task<(AutoscaleTarget Target, DateTimeOffset? Created)?> ReadWorkloadAsync(FileInfo file, List<string> problems, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            problems.Add($"--workload: file '{file.FullName}' does not exist");
            return null;
        }

        try
        {
            var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
            var workload = ManifestReader.ReadSingle<TensorFusionWorkload>(text, file.Name);
            DateTimeOffset? created = workload.Metadata?.CreationTimestamp is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
            return (AutoscaleTargetMapper.Map(workload, TimeSpan.Zero), created);
        }
        catch (ManifestException exception)
        {
            problems.AddRange(exception.Errors.Count > 0 ? exception.Errors.Select(error => error.ToString()) : [exception.Message]);
            return null;
        }
    }

    private static async Task<IReadOnlyList<UsageCsvRow>?> ReadSamplesAsync(FileInfo file, List<string> problems, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            problems.Add($"--samples: file '{file.FullName}' does not exist");
            return null;
        }

        using var reader = new StringReader(await File.ReadAllTextAsync(file.FullName, cancellationToken));
        var result = UsageCsv.Read(reader, file.Name);
        problems.AddRange(result.Errors);
        return result.Errors.Count == 0 ? result.Samples : null;
    }
}
