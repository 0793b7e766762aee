using TensorFusion.Gpu.Catalog;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Packing;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Packing;

public sealed class PackingBoundTests
{
    [Fact]
    public void Compute_RealisticMixPackedOptimally_BoundWithinOnePercentOfGpusUsed()
    {
        // 90 nodes × 8 H100 and 25 nodes × 8 A100-80GB (partitioned); 2 080 requests:
        //   600 singles of 700 TFLOPs / 40 GiB and 1 200 shares of 100 TFLOPs / 20 GiB on H100: no two singles share a GPU
        //   and each single's GPU has room for exactly two shares (289 TFLOPs, 40 GiB left), so the optimum is 600 H100s;
        //   240 MIG 3g.40gb (3 of 7 compute, 4 of 8 memory slices, two per GPU) and 40 MIG 7g.80gb (a whole GPU) on A100:
        //   240 / 2 + 40 = 160 A100s. Optimum 760, which the allocator reaches.
        var state = Fleet();
        var requests = Singles(600).Concat(Shares(1_200)).Concat(Mig("3g.40gb", 240)).Concat(Mig("7g.80gb", 40)).ToList();

        var decisions = new BatchAllocator(state).Solve(requests, TestFleet.Now);
        var bound = PackingBound.Compute(state, state.Allocations.Values);
        var used = PackingBound.GpusUsed(state);

        Assert.DoesNotContain(decisions, decision => decision.Kind == DecisionKind.Unschedulable);
        Assert.Equal(760, used);
        Assert.True(bound.Gpus >= used * 0.99, $"bound {bound.Gpus} is more than 1 % below the optimal packing {used}");
        Assert.True(bound.Gpus <= used, $"bound {bound.Gpus} above a packing that exists ({used})");
    }

    [Fact]
    public void Compute_SinglesLeaveStrandedTflops_ConfigurationLpBeatsVolume()
    {
        // 600 singles of 700 TFLOPs / 40 GiB and 600 shares of 100 TFLOPs / 20 GiB on H100 (989 TFLOPs, 80 GiB).
        // Volume: max((420 000 + 60 000)/989, (24 000 + 12 000)/80) = ⌈485.3⌉ = 486, 19 % under the packing; every single
        // needs its own GPU and the shares ride along two per single's GPU, so the configuration LP proves 600.
        var state = Fleet();

        new BatchAllocator(state).Solve([.. Singles(600), .. Shares(600)], TestFleet.Now);
        var bound = PackingBound.Compute(state, state.Allocations.Values);

        Assert.Equal(600, PackingBound.GpusUsed(state));
        Assert.Equal(486, bound.VolumeGpus);
        Assert.Equal(600, bound.Gpus);
        Assert.Equal(PackingLowerBound.ConfigurationLp, bound.Method);
    }

    [Fact]
    public void Compute_MigSmallProfilesPlacedFirst_ShowsTheAllocatorsGap()
    {
        // 240 MIG 3g.40gb and 480 MIG 1g.10gb on A100-80GB (7 compute, 8 memory slices). Memory slices: 240 × 4 + 480 = 1 440
        // over 8 = 180 GPUs, reached by 120 GPUs of 3g + 4 × 1g and 60 of 3g + 3g. The allocator places the 1g instances
        // first (equal sizes, worker-id order), seven to a GPU (69 GPUs, one memory slice each left idle), then the 3g
        // ones two to a GPU (120): 189. The bound says 180, so the report shows a 5 % gap that is the allocator's.
        var state = Fleet();

        new BatchAllocator(state).Solve([.. Mig("3g.40gb", 240), .. Mig("1g.10gb", 480)], TestFleet.Now);
        var bound = PackingBound.Compute(state, state.Allocations.Values);

        Assert.Equal(180, bound.Gpus);
        Assert.Equal(189, PackingBound.GpusUsed(state));
    }

    private static ClusterState Fleet()
    {
        var a100 = TestFleet.Nodes(25, 8, model: "A100-80GB", prefix: "a")
            .Select(node => node with { Gpus = [.. node.Gpus.Select(gpu => gpu with { IsolationMode = IsolationMode.Partitioned })] });
        return new ClusterState([.. TestFleet.Nodes(90, 8), .. a100], [new PoolSpec("pool", PlacementStrategy.CompactFirst)], GpuModelCatalog.Default);
    }

    private static IEnumerable<AllocationRequest> Singles(int count) =>
        Enumerable.Range(0, count).Select(i => TestFleet.Request($"single-{i}", 700, 40));

    private static IEnumerable<AllocationRequest> Shares(int count) =>
        Enumerable.Range(0, count).Select(i => TestFleet.Request($"share-{i}", 100, 20));

    private static IEnumerable<AllocationRequest> Mig(string profile, int count) =>
        Enumerable.Range(0, count).Select(i => TestFleet.Request($"mig{profile[0]}-{i}", 0, 0) with
        {
            Isolation = IsolationMode.Partitioned,
            PartitionTemplate = profile,
            GpuModel = "A100-80GB",
        });
}
