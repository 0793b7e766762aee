using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Scheduling;

public sealed class BatchAllocatorPlacementTests
{
    [Fact]
    public void Place_Fractional_RequestsConsumeAvailableAndLimitsAddUp()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        var request = TestFleet.Request("w-0", 100, 20) with { Limit = GpuResources.FromTflops(200, ByteSize.FromGibibytes(40)) };

        var decision = allocator.Place(request, TestFleet.Now);

        Assert.Equal(DecisionKind.Place, decision.Kind);
        var gpu = allocator.State.FindGpu("n0-g0")!;
        // 989 − 100 = 889 TFLOPs and 80 − 20 = 60 GiB left; limits 200 TFLOPs / 40 GiB recorded against virtual capacity.
        Assert.Equal(GpuResources.FromTflops(889, ByteSize.FromGibibytes(60)), gpu.Available);
        Assert.Equal(GpuResources.FromTflops(200, ByteSize.FromGibibytes(40)), gpu.LimitsAllocated);
    }

    [Fact]
    public void Place_ComputePercent_ConvertsThroughGpuTflops()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        var request = TestFleet.Request("w-0", 0, 10) with { ComputePercentRequest = 50 };

        var decision = allocator.Place(request, TestFleet.Now);

        // 50 % of 989 TFLOPs = 494.5 TFLOPs.
        Assert.Equal(494_500, decision.Allocation!.Shares[0].Request.MilliTflops);
        Assert.Equal(494_500, allocator.State.FindGpu("n0-g0")!.Available.MilliTflops);
    }

    [Fact]
    public void Place_LimitOverVirtualCapacity_ExplainsVirtualCapacity()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        // No host memory or disk on the node: virtual VRAM = 80 GiB, so a 100 GiB limit cannot fit.
        var request = TestFleet.Request("w-0", 10, 10) with { Limit = GpuResources.FromTflops(10, ByteSize.FromGibibytes(100)) };

        var decision = allocator.Place(request, TestFleet.Now);

        Assert.Equal(DecisionKind.Unschedulable, decision.Kind);
        Assert.Equal("0/1 nodes fit: 1 limits exceed virtual capacity", decision.Reason);
    }

    [Theory]
    [InlineData(PlacementStrategy.CompactFirst, "n0-g0")]
    [InlineData(PlacementStrategy.LowLoadFirst, "n1-g0")]
    [InlineData(PlacementStrategy.NodeCompactGpuLowLoad, "n0-g1")]
    public void Place_SecondSmallWorker_LandsWhereStrategyPrefers(PlacementStrategy strategy, string expectedGpu)
    {
        var allocator = new BatchAllocator(TestFleet.State(2, 2, strategy));
        allocator.Place(TestFleet.Request("a-0", 100, 10), TestFleet.Now);

        var second = allocator.Place(TestFleet.Request("b-0", 100, 10), TestFleet.Now);

        Assert.Equal(expectedGpu, second.Allocation!.Shares[0].Gpu);
    }

    [Fact]
    public void Place_NothingFits_ReasonCountsNodesPerFilter()
    {
        var nodes = TestFleet.Nodes(2, 1).Concat(TestFleet.Nodes(1, 1, "A100-80GB", prefix: "a")).ToArray();
        var allocator = new BatchAllocator(new ClusterState(nodes, [new PoolSpec("pool")], GpuModelCatalog.Default));
        allocator.Place(TestFleet.Request("f-0", 10, 50) with { GpuModel = "H100" }, TestFleet.Now);
        allocator.Place(TestFleet.Request("f-1", 10, 50) with { GpuModel = "H100" }, TestFleet.Now);

        var decision = allocator.Place(TestFleet.Request("w-0", 100, 70) with { GpuModel = "H100" }, TestFleet.Now);

        // Each H100 node has 30 GiB left (VRAM filter); the A100 has room but fails the later model filter.
        Assert.Equal("0/3 nodes fit: 2 insufficient VRAM, 1 model mismatch", decision.Reason);
    }

    [Fact]
    public void Place_MultiGpu_TakesAllGpusOnOneNodeOrNone()
    {
        var allocator = new BatchAllocator(TestFleet.State(2, 4));
        allocator.Place(TestFleet.Whole("a-0", gpus: 3), TestFleet.Now);

        var pair = allocator.Place(TestFleet.Whole("b-0", gpus: 2), TestFleet.Now);
        var four = allocator.Place(TestFleet.Whole("c-0", gpus: 4), TestFleet.Now);

        Assert.Equal("n1", pair.Allocation!.Node);
        Assert.All(pair.Allocation.Shares, share => Assert.StartsWith("n1-", share.Gpu, StringComparison.Ordinal));
        // Three GPUs are free in total (one on n0, two on n1) but no node has four.
        Assert.Equal(DecisionKind.Unschedulable, four.Kind);
        Assert.Equal("0/2 nodes fit: 2 insufficient VRAM", four.Reason);
    }

    [Fact]
    public void Place_Shared_NeedsAnIdleWholeGpu()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 2));
        allocator.Place(TestFleet.Request("a-0", 10, 10), TestFleet.Now);
        var shared = TestFleet.Request("s-0", 1, 1) with { Isolation = IsolationMode.Shared };

        var first = allocator.Place(shared, TestFleet.Now);
        var second = allocator.Place(shared with { Worker = "s-1" }, TestFleet.Now);

        Assert.Equal("n0-g1", first.Allocation!.Shares[0].Gpu);
        Assert.Equal(GpuResources.Zero, allocator.State.FindGpu("n0-g1")!.Available);
        Assert.Equal("0/1 nodes fit: 1 no idle whole GPU", second.Reason);
    }

    [Fact]
    public void Place_Partitioned_PicksLeastWastefulProfileAndKeepsModesApart()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        var partitioned = TestFleet.Request("p-0", 100, 15) with { Isolation = IsolationMode.Partitioned };

        var decision = allocator.Place(partitioned, TestFleet.Now);
        var fractional = allocator.Place(TestFleet.Request("f-0", 10, 1), TestFleet.Now);

        var share = decision.Allocation!.Shares[0];
        Assert.Equal(new MigPlacement("1g.20gb", 6), share.Partition);
        // 1 of 7 compute slices: 989 000 × 1 / 7 = 141 285 milli-TFLOPs; 19.625 GiB = 20 096 MiB.
        Assert.Equal(new GpuResources(141_285, ByteSize.FromMebibytes(20_096)), share.Request);
        Assert.Equal("0/1 nodes fit: 1 isolation mode mismatch", fractional.Reason);
    }

    [Fact]
    public void Place_UnknownPoolOrModel_ClearReason()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));

        var noPool = allocator.Place(TestFleet.Request("a-0", 1, 1) with { Pool = "nope" }, TestFleet.Now);
        var noModel = allocator.Place(TestFleet.Request("a-1", 1, 1) with { GpuModel = "Z9" }, TestFleet.Now);

        Assert.Equal("GPU pool 'nope' not found", noPool.Reason);
        Assert.Equal("unknown GPU model 'Z9'", noModel.Reason);
    }

    [Theory]
    [InlineData(NodeSelectorOperator.In, new[] { "us-east-1a", "us-east-1b" }, true)]
    [InlineData(NodeSelectorOperator.NotIn, new[] { "us-east-1a" }, false)]
    [InlineData(NodeSelectorOperator.Exists, new string[0], true)]
    [InlineData(NodeSelectorOperator.DoesNotExist, new string[0], false)]
    public void Place_NodeAffinityOnZone_FollowsOperator(NodeSelectorOperator op, string[] values, bool placed)
    {
        var labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "us-east-1a" };
        var state = new ClusterState(TestFleet.Nodes(1, 1, labels: labels), [new PoolSpec("pool")], GpuModelCatalog.Default);
        var request = TestFleet.Request("a-0", 1, 1) with
        {
            NodeAffinity = [new NodeSelectorTerm([new NodeSelectorRequirement("topology.kubernetes.io/zone", op, values)])],
        };

        var decision = new BatchAllocator(state).Place(request, TestFleet.Now);

        Assert.Equal(placed, decision.Kind == DecisionKind.Place);
        Assert.Equal(placed ? null : "0/1 nodes fit: 1 node affinity", decision.Reason);
    }

    [Theory]
    [InlineData("8", NodeSelectorOperator.Gt, "4", true)]
    [InlineData("8", NodeSelectorOperator.Lt, "4", false)]
    [InlineData("eight", NodeSelectorOperator.Gt, "4", false)]
    public void Matches_NumericOperators_CompareIntegers(string label, NodeSelectorOperator op, string value, bool expected)
    {
        var requirement = new NodeSelectorRequirement("gpus", op, [value]);

        Assert.Equal(expected, requirement.Matches(new Dictionary<string, string> { ["gpus"] = label }));
    }

    [Fact]
    public void Place_IndexedAndFullScan_ChooseTheSameGpus()
    {
        var indexed = new BatchAllocator(TestFleet.State(3, 4, PlacementStrategy.NodeCompactGpuLowLoad));
        var scanned = new BatchAllocator(TestFleet.State(3, 4, PlacementStrategy.NodeCompactGpuLowLoad), search: PlacementSearch.FullScan);
        var requests = Enumerable.Range(0, 30).Select(i => TestFleet.Request($"w-{i}", 50 + (i * 7 % 200), 5 + (i * 13 % 40), gpus: 1 + (i % 3)));

        foreach (var request in requests)
        {
            var left = indexed.Place(request, TestFleet.Now);
            var right = scanned.Place(request, TestFleet.Now);
            Assert.Equal(right.Allocation?.Shares.Select(share => share.Gpu), left.Allocation?.Shares.Select(share => share.Gpu));
            Assert.Equal(right.Reason, left.Reason);
        }
    }
}
