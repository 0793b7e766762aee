using System.Text.Json;

namespace TensorFusion.Host.Tests.Cli;

public sealed class RecommendCommandTests : IDisposable
{
    private readonly RecommendFiles _files = new();

    [Fact]
    public async Task Invoke_JsonOutput_PrintsOneObjectWithTheWorkedExampleNumbers()
    {
        // docs/autoscaling.md: request 4.76450 TFLOPs / 3 861 631 195 B; limit 20 TFLOPs (spec limit kept) / 6 434 836 069 B.
        var (exitCode, output) = await RecommendAsync(RecommendFiles.WorkedExampleWorkload, RecommendFiles.WorkedExampleCsv(), "--output", "json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["reason", "message", "estimates", "recommendation", "activeCronScalingRule"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Updated", root.GetProperty("reason").GetString());
        Assert.Equal(4.76450, root.GetProperty("estimates").GetProperty("tflops").GetProperty("lowerBound").GetDouble(), 5);
        Assert.Equal(13.89197, root.GetProperty("estimates").GetProperty("tflops").GetProperty("upperBound").GetDouble(), 5);
        Assert.Equal(6_434_836_069, root.GetProperty("estimates").GetProperty("vram").GetProperty("target").GetDouble());
        var recommendation = root.GetProperty("recommendation");
        Assert.Equal(4.76450, recommendation.GetProperty("requests").GetProperty("tflops").GetDouble(), 5);
        Assert.Equal(3_861_631_195, recommendation.GetProperty("requests").GetProperty("vram").GetDouble());
        Assert.Equal(20, recommendation.GetProperty("limits").GetProperty("tflops").GetDouble());
        Assert.Equal(6_434_836_069, recommendation.GetProperty("limits").GetProperty("vram").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("activeCronScalingRule").ValueKind);
        Assert.Contains("p50 / p95 / p99 × 1.15", root.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_TableOutput_ShowsReasonNumbersAndWhy()
    {
        var (exitCode, output) = await RecommendAsync(RecommendFiles.WorkedExampleWorkload, RecommendFiles.WorkedExampleCsv());

        Assert.Equal(0, exitCode);
        Assert.Contains("Workload:          team-a/llm-inference", output, StringComparison.Ordinal);
        Assert.Contains("Reason:            Updated", output, StringComparison.Ordinal);
        Assert.Contains("Samples:           180 from 2 worker(s)", output, StringComparison.Ordinal);
        Assert.Contains("3861631195 (3.596 GiB)", output, StringComparison.Ordinal);
        Assert.Contains("limit kept at the spec limit 20 TFLOPs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_BadCsvRows_AreReportedWithLineNumbersAndExitNonZero()
    {
        var csv = "timestamp,worker,tflops,vram_bytes\n" +
            "2026-03-02T10:00:00Z,w-0,4,3000000000\n" +
            "2026-03-02T10:01:00Z,w-0,lots,3000000000\n" +
            "yesterday,w-0,4,3000000000\n" +
            "2026-03-02T10:03:00Z,w-0,4\n";

        var (exitCode, output) = await RecommendAsync(RecommendFiles.WorkedExampleWorkload, csv, "--output", "json");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("usage.csv line 3: tflops 'lots' is not a non-negative number", output, StringComparison.Ordinal);
        Assert.Contains("usage.csv line 4: timestamp 'yesterday'", output, StringComparison.Ordinal);
        Assert.Contains("usage.csv line 5: expected 4 fields", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"reason\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NoCreationTimestamp_CountsFromTheFirstSample()
    {
        // Without creationTimestamp the first sample (10:00) is the creation time; at 10:20 the 30 m delay has not passed.
        var workload = RecommendFiles.WorkedExampleWorkload.Replace("  creationTimestamp: \"2026-03-02T10:00:00Z\"\n", "", StringComparison.Ordinal);

        var (exitCode, output) = await RecommendAsync(workload, RecommendFiles.WorkedExampleCsv(), "--output", "json", "--now", "2026-03-02T10:20:00Z");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("LowConfidence", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(10, json.RootElement.GetProperty("recommendation").GetProperty("requests").GetProperty("tflops").GetDouble()); // unchanged spec
    }

    [Fact]
    public async Task Invoke_ActiveCronRuleInItsTimeZone_IsNamedAndWins()
    {
        // 11:59Z is 12:59 in Berlin (CET), inside 12:00–14:00 local: the rule's 30 TFLOPs beats the 4.76 from usage.
        var workload = RecommendFiles.WorkedExampleWorkload + """

                cronScalingRules:
                  - name: lunch-rush
                    enable: true
                    start: "0 12 * * *"
                    end: "0 14 * * *"
                    timeZone: Europe/Berlin
                    desiredResources:
                      requests: { tflops: "30", vram: 2Gi }
                      limits: { tflops: "40", vram: 2Gi }
            """;

        var (exitCode, output) = await RecommendAsync(workload, RecommendFiles.WorkedExampleCsv(), "--output", "json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("RuleActive", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("lunch-rush", json.RootElement.GetProperty("activeCronScalingRule").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("recommendation").GetProperty("requests").GetProperty("tflops").GetDouble());
    }

    [Fact]
    public async Task Invoke_InvalidAutoSetResourcesString_IsReportedByField()
    {
        var workload = RecommendFiles.WorkedExampleWorkload.Replace("targetResource: all", "targetResource: all\n      historyDataPeriod: two hours", StringComparison.Ordinal);

        var (exitCode, output) = await RecommendAsync(workload, RecommendFiles.WorkedExampleCsv(), "--output", "json");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("historyDataPeriod", output, StringComparison.Ordinal);
        Assert.Contains("two hours", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_MissingWorkloadFile_SaysWhichFile()
    {
        var samples = _files.Write("usage.csv", RecommendFiles.WorkedExampleCsv());

        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("recommend", "--workload", "/no/such/w.yaml", "--samples", samples);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--workload: file '/no/such/w.yaml' does not exist", output, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private async Task<(int ExitCode, string Output)> RecommendAsync(string workload, string csv, params string[] extra)
    {
        var workloadPath = _files.Write("workload.yaml", workload);
        var samplesPath = _files.Write("usage.csv", csv);
        return await TensorFusionCliTests.InvokeAsync(["recommend", "--workload", workloadPath, "--samples", samplesPath, .. extra]);
    }
}
