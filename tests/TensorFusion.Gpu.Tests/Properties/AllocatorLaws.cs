using CsCheck;
using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Properties;

public sealed class AllocatorLaws
{
    private const int Iterations = 150;

    [Fact]
    public void NoGpuExceedsCapacityOrVirtualCapacity()
    {
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);

            foreach (var gpu in allocator.State.Gpus)
            {
                Assert.True(gpu.Available.MilliTflops >= 0 && gpu.Available.VramBytes >= 0, $"{gpu.Name} over capacity: {gpu.Available}");
                Assert.True(gpu.LimitsAllocated.FitsWithin(gpu.VirtualCapacity), $"{gpu.Name} limits {gpu.LimitsAllocated} > {gpu.VirtualCapacity}");
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SameBatchInAnyOrderGivesSameDecisions()
    {
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch, Gen.Int).Sample((strategy, batch, seed) =>
        {
            var shuffled = batch.ToArray();
            new Random(seed).Shuffle(shuffled);

            var first = Summarize(new BatchAllocator(RandomBatches.Fleet(strategy)).Solve(batch, TestFleet.Now));
            var second = Summarize(new BatchAllocator(RandomBatches.Fleet(strategy)).Solve(shuffled, TestFleet.Now));

            Assert.Equal(first, second);
        }, iter: Iterations);
    }

    [Fact]
    public void MultiGpuRequestNeverSplitsAcrossNodes()
    {
        var multiGpuPlacements = 0;
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);

            Interlocked.Add(ref multiGpuPlacements, allocator.State.Allocations.Values.Count(allocation => allocation.Shares.Count > 1));
            foreach (var allocation in allocator.State.Allocations.Values)
            {
                Assert.Equal(allocation.Request.GpuCount, allocation.Shares.Select(share => share.Gpu).Distinct().Count());
                Assert.All(allocation.Shares, share => Assert.Equal(allocation.Node, allocator.State.FindGpu(share.Gpu)!.Node.Name));
            }
        }, iter: Iterations);

        Assert.True(multiGpuPlacements > 0, "the generator never placed a multi-GPU request");
    }

    [Fact]
    public void PreemptionNeverPicksEqualOrHigherQosOrProtectedVictims()
    {
        var preemptions = 0;
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch, RandomBatches.Batch).Sample((strategy, existing, arriving) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(existing, TestFleet.Now);
            var now = TestFleet.Now.AddMinutes(30);

            var renamed = arriving.Select(request => request with { Worker = "late-" + request.Worker });
            foreach (var decision in allocator.Solve(renamed, now).Where(decision => decision.Kind == DecisionKind.Preempt))
            {
                Interlocked.Increment(ref preemptions);
                Assert.All(decision.Victims, victim =>
                {
                    Assert.True(victim.Qos < decision.Request.Qos, $"{decision.Request.WorkerId} ({decision.Request.Qos}) evicted {victim.WorkerId} ({victim.Qos})");
                    Assert.True(now >= victim.ProtectedUntil, $"{victim.WorkerId} was protected until {victim.ProtectedUntil}");
                });
            }
        }, iter: Iterations);

        Assert.True(preemptions > 0, "the generator never caused a preemption");
    }

    [Fact]
    public void MigPartitionsNeverOverlapAndUseValidStarts()
    {
        var partitions = 0;
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);

            foreach (var gpu in allocator.State.Gpus.Where(gpu => gpu.Mig is not null))
            {
                Assert.False(gpu.Mig!.HasOverlap, $"{gpu.Name} has overlapping MIG instances");
                Assert.True(gpu.Mig.ComputeUsed <= gpu.Mig.Geometry.ComputeSlices);
            }

            foreach (var share in allocator.State.Allocations.Values.SelectMany(allocation => allocation.Shares))
            {
                if (share.Partition is { } partition)
                {
                    Interlocked.Increment(ref partitions);
                    var profile = allocator.State.FindGpu(share.Gpu)!.Mig!.Geometry.FindProfile(partition.Profile)!;
                    Assert.Contains(partition.Start, profile.ValidStarts);
                }
            }
        }, iter: Iterations);

        Assert.True(partitions > 0, "the generator never placed a MIG partition");
    }

    [Fact]
    public void RebuildFromAllocationsEqualsState()
    {
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);
            var fresh = RandomBatches.Fleet(strategy);
            var nodes = fresh.Nodes.Select(node => new NodeSpec(node.Name, node.Pool.Name, node.Labels,
                [.. node.Gpus.Select(gpu => new GpuSpec(gpu.Name, gpu.Index, gpu.Model.Name))], node.HostMemoryBytes, node.HostDiskBytes));

            var rebuilt = ClusterState.Rebuild(nodes, fresh.Pools.Values, fresh.Catalog, allocator.State.Allocations.Values);

            Assert.Empty(rebuilt.Conflicts);
            foreach (var gpu in allocator.State.Gpus)
            {
                var twin = rebuilt.State.FindGpu(gpu.Name)!;
                Assert.Equal(gpu.Available, twin.Available);
                Assert.Equal(gpu.LimitsAllocated, twin.LimitsAllocated);
                Assert.Equal(gpu.Mig?.UsedMask, twin.Mig?.UsedMask);
                Assert.Equal(gpu.Workers.Order(), twin.Workers.Order());
            }
        }, iter: Iterations);
    }

    [Fact]
    public void IndexedSearchMatchesFullScan()
    {
        Gen.Select(RandomBatches.Strategy, RandomBatches.Batch).Sample((strategy, batch) =>
        {
            var indexed = new BatchAllocator(RandomBatches.Fleet(strategy));
            var scanned = new BatchAllocator(RandomBatches.Fleet(strategy), search: PlacementSearch.FullScan);

            foreach (var request in batch)
            {
                var left = indexed.Place(request, TestFleet.Now, allowPreemption: false);
                var right = scanned.Place(request, TestFleet.Now, allowPreemption: false);
                Assert.Equal(right.Allocation?.Shares, left.Allocation?.Shares);
            }
        }, iter: Iterations);
    }

    private static string[] Summarize(IEnumerable<AllocationDecision> decisions) =>
        [.. decisions.Select(decision => $"{decision.Request.WorkerId} {decision.Kind} {decision.Allocation?.Node} " +
                                         string.Join(",", decision.Allocation?.Shares.Select(share => $"{share.Gpu}:{share.Partition}") ?? []))
            .Order(StringComparer.Ordinal)];
}
