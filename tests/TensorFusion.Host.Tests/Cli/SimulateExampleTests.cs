using System.Text.Json;

namespace TensorFusion.Host.Tests.Cli;

public sealed class SimulateExampleTests
{
    [Fact]
    public async Task Simulate_MixedFleetExample_ProvesThePackingOptimal()
    {
        // deploy/examples/simulate: 600 singles of 700 TFLOPs / 40 GiB, 900 shares of 100 TFLOPs / 20 GiB on H100 and
        // 240 MIG 3g.40gb + 40 MIG 7g.80gb on A100. Volume: H100 max(510 000/989, 42 000/80) = 525, A100 memory slices
        // (240 × 4 + 40 × 8)/8 = 160: 685. Singles cannot share a GPU, so the configuration LP proves 600 + 160 = 760,
        // which is what the allocator uses.
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync(
            "simulate", "--fleet", RepositoryFiles.Path("deploy", "examples", "simulate", "fleet-mixed.yaml"),
            "--workloads", RepositoryFiles.Path("deploy", "examples", "simulate", "workloads-mixed.yaml"), "--output", "json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(1780, summary.GetProperty("placed").GetInt32());
        Assert.Equal(760, summary.GetProperty("gpusUsed").GetInt32());
        Assert.Equal(760, summary.GetProperty("lowerBoundGpus").GetInt32());
        Assert.Equal("configuration-lp", summary.GetProperty("lowerBoundMethod").GetString());
        Assert.Equal(685, summary.GetProperty("volumeBoundGpus").GetInt32());
    }
}
