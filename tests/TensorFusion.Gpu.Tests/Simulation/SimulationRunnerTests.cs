using Microsoft.Extensions.Time.Testing;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Simulation;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Simulation;

public sealed class SimulationRunnerTests
{
    [Fact]
    public void Run_ThirdSingleOnTwoGpus_ReportsTwoPlacedOneMissAndTheBound()
    {
        // Two H100s (989 TFLOPs, 80 GiB each) and three 700-TFLOP singles: 700 + 700 > 989, so each GPU holds one and the
        // third finds 989 - 700 = 289 TFLOPs free on either GPU. The bound for two 700-TFLOP shares is ⌈1 400 / 989⌉ = 2.
        var input = new SimulationInput(
            TestFleet.Nodes(1, 2),
            [new PoolSpec("pool")],
            [],
            [TestFleet.Request("a-0", 700, 40), TestFleet.Request("a-1", 700, 40), TestFleet.Request("b-0", 700, 40)],
            GpuModelCatalog.Default);
        var progress = new List<string>();

        var report = SimulationRunner.Run(input, new FakeTimeProvider(TestFleet.Now), progress.Add);

        Assert.Equal(["a-0", "a-1"], report.Placements.Select(row => row.Worker).Order(StringComparer.Ordinal));
        Assert.Equal(2, report.Placements.Select(row => row.Gpus[0]).Distinct().Count());
        var miss = Assert.Single(report.Unschedulable);
        Assert.Equal(("team/b", "b-0"), (miss.Workload, miss.Worker));
        Assert.All(report.Gpus, gpu => Assert.Equal(700, gpu.Allocated.Tflops, precision: 6));
        Assert.Equal((3, 2, 1, 2, 2), (report.Summary.Requests, report.Summary.Placed, report.Summary.Unschedulable, report.Summary.GpusUsed, report.Summary.LowerBoundGpus));
        // The fake clock never moves: elapsed time and throughput come out as 0, not as this machine's speed.
        Assert.Equal((0.0, 0.0), (report.Summary.ElapsedMs, report.Summary.DecisionsPerSecond));
        // 3 requests are below ProgressThreshold (5 000): nothing is reported.
        Assert.Empty(progress);
    }

    [Fact]
    public void Run_BatchSizeOne_PlacesInInputOrder()
    {
        // One H100 and two singles of 700 TFLOPs placed one batch at a time: the first in the input wins the GPU, the
        // second is left with 989 - 700 = 289 TFLOPs and misses, whatever order one batch would have chosen.
        var input = new SimulationInput(
            TestFleet.Nodes(1, 1),
            [new PoolSpec("pool")],
            [],
            [TestFleet.Request("late-0", 700, 40), TestFleet.Request("early-0", 700, 40)],
            GpuModelCatalog.Default,
            BatchSize: 1);

        var report = SimulationRunner.Run(input, new FakeTimeProvider(TestFleet.Now), _ => { });

        Assert.Equal("late-0", Assert.Single(report.Placements).Worker);
        Assert.Equal("early-0", Assert.Single(report.Unschedulable).Worker);
    }
}
