using System.Text.Json;

namespace TensorFusion.Host.Tests.Cli;

public sealed class SimulateCommandTests
{
    private const string TwoNodeFleet = """
        nodes:
          - namePrefix: gpu-a
            count: 2
            labels: {zone: a}
            gpu: {model: H100, count: 2}
        """;

    [Fact]
    public async Task Simulate_JsonOutput_ListsPlacementsGpusAndSummary()
    {
        var workloads = SimulationFiles.Workload("llm", """
              replicas: 2
              gpuCount: 2
              resources:
                requests: {tflops: "989", vram: 80Gi}
                limits: {tflops: "989", vram: 80Gi}
            """) + SimulationFiles.Workload("chat", """
              replicas: 1
              resources:
                requests: {tflops: "100", vram: 16Gi}
            """);
        using var files = new SimulationFiles(TwoNodeFleet, workloads);

        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", files.Fleet, "--workloads", files.Workloads, "--output", "json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var placements = root.GetProperty("placements");
        Assert.Equal(2, placements.GetArrayLength());
        var first = placements[0];
        Assert.Equal("team/llm", first.GetProperty("workload").GetString());
        Assert.Equal(2, first.GetProperty("gpus").GetArrayLength());
        Assert.Equal(80L << 30, first.GetProperty("vram").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("partition").ValueKind);
        // Four GPUs, all taken by the two llm workers; chat cannot fit anywhere.
        var miss = Assert.Single(root.GetProperty("unschedulable").EnumerateArray());
        Assert.Equal("chat-0", miss.GetProperty("worker").GetString());
        Assert.Equal(4, root.GetProperty("gpus").GetArrayLength());
        var summary = root.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("requests").GetInt32());
        Assert.Equal(4, summary.GetProperty("gpusUsed").GetInt32());
        Assert.Equal(4, summary.GetProperty("lowerBoundGpus").GetInt32());
    }

    [Fact]
    public async Task Simulate_LaterHigherQosBatch_PreemptedWorkerNamesItsPreemptor()
    {
        var workloads = SimulationFiles.Workload("batch", """
              replicas: 4
              qos: low
              resources:
                requests: {tflops: "500", vram: 60Gi}
            """) + SimulationFiles.Workload("prod", """
              replicas: 1
              qos: critical
              resources:
                requests: {tflops: "500", vram: 60Gi}
            """);
        using var files = new SimulationFiles(TwoNodeFleet, workloads);

        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
            "simulate", "--fleet", files.Fleet, "--workloads", files.Workloads, "--output", "json", "--batch-size", "4");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var miss = Assert.Single(json.RootElement.GetProperty("unschedulable").EnumerateArray());
        Assert.StartsWith("preempted by team/prod-0 and not placed again", miss.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("preemptions").GetInt32());
    }

    [Fact]
    public async Task Simulate_PartitionedWorkload_ReportsMigProfileAndStart()
    {
        var workloads = SimulationFiles.Workload("mig", """
              isolation: partitioned
              resources:
                requests: {tflops: "100", vram: 15Gi}
            """);
        using var files = new SimulationFiles(TwoNodeFleet, workloads);

        var (_, output) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", files.Fleet, "--workloads", files.Workloads, "--output", "json");

        using var json = JsonDocument.Parse(output);
        var partition = json.RootElement.GetProperty("placements")[0].GetProperty("partition");
        Assert.Equal("1g.20gb", partition.GetProperty("profile").GetString());
        Assert.Equal(6, partition.GetProperty("start").GetInt32());
        var mig = json.RootElement.GetProperty("gpus")[0].GetProperty("mig");
        Assert.Equal(1, mig.GetProperty("instances").GetInt32());
        Assert.Equal(0, mig.GetProperty("strandedMemorySlices").GetInt32());
    }

    [Fact]
    public async Task Simulate_PoolTemplateStrategy_IsUsedUnlessOverridden()
    {
        var workloads = """
            apiVersion: tensor-fusion.ai/v1
            kind: SchedulingConfigTemplate
            metadata: {name: pack}
            spec:
              placement: {mode: CompactFirst}
            ---
            apiVersion: tensor-fusion.ai/v1
            kind: GPUPool
            metadata: {name: default}
            spec:
              schedulingConfigTemplate: pack
              nodeManagerConfig: {}
            ---

            """ + SimulationFiles.Workload("w", """
              resources:
                requests: {tflops: "10", vram: 1Gi}
            """);
        using var files = new SimulationFiles(TwoNodeFleet, workloads);

        var (_, fromTemplate) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", files.Fleet, "--workloads", files.Workloads);
        var (_, overridden) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", files.Fleet, "--workloads", files.Workloads, "--strategy", "LowLoadFirst");

        Assert.Contains("Strategy       default=CompactFirst", fromTemplate, StringComparison.Ordinal);
        Assert.Contains("Strategy       default=LowLoadFirst", overridden, StringComparison.Ordinal);
        Assert.Contains("GPUs used      1 (lower bound 1 by volume, volume bound 1, ratio 1.000)", fromTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_BadInput_ExitsOneAndNamesEveryProblem()
    {
        const string fleet = """
            nodes:
              - namePrefix: gpu-a
                count: 0
                gpu: {model: B999}
            """;
        var workloads = SimulationFiles.Workload("w", """
              resources:
                requests: {}
            """);
        using var files = new SimulationFiles(fleet, workloads);

        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", files.Fleet, "--workloads", files.Workloads);

        Assert.Equal(1, exitCode);
        Assert.Contains("fleet.yaml: nodes[0].count must be 1-100000, got 0", output, StringComparison.Ordinal);
        Assert.Contains("fleet.yaml: nodes[0].gpu.model: unknown GPU model 'B999'", output, StringComparison.Ordinal);
        // The operator's own mapper reads the workload, so the problem is worded as the operator words it.
        Assert.Contains("TensorFusionWorkload team/w: pod team/w-0: annotations", output, StringComparison.Ordinal);
        Assert.Contains("the worker requests nothing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_MissingFile_SaysWhichFile()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("simulate", "--fleet", "/nonexistent/fleet.yaml", "--workloads", "/nonexistent/w.yaml");

        Assert.Equal(1, exitCode);
        Assert.Contains("simulate: file '/nonexistent/fleet.yaml' not found", output, StringComparison.Ordinal);
    }
}
