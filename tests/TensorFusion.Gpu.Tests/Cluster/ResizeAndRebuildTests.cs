using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Cluster;

public sealed class ResizeAndRebuildTests
{
    private static GpuResources Gib(double tflops, double gib) => GpuResources.FromTflops(tflops, ByteSize.FromGibibytes(gib));

    [Fact]
    public void Resize_WithinFreeCapacity_UpdatesInPlace()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        allocator.Place(TestFleet.Request("a-0", 100, 20), TestFleet.Now);
        allocator.Place(TestFleet.Request("b-0", 100, 40), TestFleet.Now);

        // a holds 20 GiB, 20 GiB are free: 30 GiB fits (20 own + 20 free = 40).
        var result = allocator.Resize("team/a-0", Gib(150, 30), Gib(150, 30));

        Assert.True(result.Succeeded);
        Assert.Equal(Gib(989 - 250, 10), allocator.State.FindGpu("n0-g0")!.Available);
    }

    [Fact]
    public void Resize_BeyondCapacity_RollsBackUnchanged()
    {
        var allocator = new BatchAllocator(TestFleet.State(1, 1));
        allocator.Place(TestFleet.Request("a-0", 100, 20), TestFleet.Now);
        allocator.Place(TestFleet.Request("b-0", 100, 40), TestFleet.Now);
        var before = allocator.State.Allocations["team/a-0"];

        var result = allocator.Resize("team/a-0", Gib(100, 50), Gib(100, 50));

        Assert.False(result.Succeeded);
        // Checked with a's own share released: 989 − 100 (b) = 889 TFLOPs, 80 − 40 = 40 GiB.
        Assert.Contains("GPU n0-g0 has 889 TFLOPs / 40Gi available; worker team/a-0 asks for 100 TFLOPs / 50Gi", result.Error, StringComparison.Ordinal);
        Assert.Same(before, allocator.State.Allocations["team/a-0"]);
        Assert.Equal(Gib(789, 20), allocator.State.FindGpu("n0-g0")!.Available);
    }

    [Fact]
    public void Resize_UnknownWorker_SaysSo()
    {
        var result = new BatchAllocator(TestFleet.State(1, 1)).Resize("team/ghost", Gib(1, 1), Gib(1, 1));

        Assert.Equal("worker team/ghost has no allocation to resize", result.Error);
    }

    [Fact]
    public void Rebuild_TwoWorkersOverOneGpu_ReportsConflictNamingBoth()
    {
        var nodes = TestFleet.Nodes(1, 1);
        var first = new WorkerAllocation(TestFleet.Request("a-0", 100, 50), "n0", [new GpuShare("n0-g0", Gib(100, 50), Gib(100, 50), null)], TestFleet.Now);
        var second = first with { Request = TestFleet.Request("b-0", 100, 50) };

        var result = ClusterState.Rebuild(nodes, [new PoolSpec("pool")], GpuModelCatalog.Default, [first, second]);

        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(["team/a-0", "team/b-0"], conflict.Workers);
        Assert.Contains("request 200 TFLOPs / 100Gi but the GPU holds 989 TFLOPs / 80Gi", conflict.Message, StringComparison.Ordinal);
        // The state shows the over-commitment rather than hiding it: 80 − 100 = −20 GiB.
        Assert.Equal(-20L * ByteSize.Gibibyte, result.State.FindGpu("n0-g0")!.Available.VramBytes);
    }

    [Fact]
    public void Rebuild_UnknownMigProfile_IsReportedNotHidden()
    {
        var allocation = new WorkerAllocation(TestFleet.Request("m-0", 10, 5), "n0",
            [new GpuShare("n0-g0", Gib(10, 5), Gib(10, 5), new MigPlacement("9g.99gb", 0))], TestFleet.Now);

        var result = ClusterState.Rebuild(TestFleet.Nodes(1, 1), [new PoolSpec("pool")], GpuModelCatalog.Default, [allocation]);

        Assert.Equal("worker team/m-0 holds MIG profile 9g.99gb that GPU n0-g0 (H100-80GB) does not offer", Assert.Single(result.Conflicts).Message);
    }
}
