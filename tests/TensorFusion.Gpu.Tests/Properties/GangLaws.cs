using CsCheck;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;
using TensorFusion.Gpu.Tests.Fleets;

namespace TensorFusion.Gpu.Tests.Properties;

public sealed class GangLaws
{
    private const int Iterations = 150;

    /// <summary>Random batches whose workers are grouped into gangs of 2–6 (every third request stays alone).</summary>
    private static readonly Gen<AllocationRequest[]> GangBatch =
        Gen.Select(RandomBatches.Batch, Gen.Int[2, 6], Gen.Int[0, 2]).Select((batch, size, slack) => batch
            .Select((request, i) => i % 3 == 2 ? request : request with
            {
                Workload = $"gang{i / size}",
                Gang = new GangMembership($"team/gang{i / size}", Math.Max(2, size - slack)),
            })
            .ToArray());

    [Fact]
    public void EveryGangHoldsNothingOrAtLeastItsQuorum()
    {
        Gen.Select(RandomBatches.Strategy, GangBatch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);

            foreach (var gang in allocator.State.Allocations.Values.Where(a => a.Request.Gang is not null).GroupBy(a => a.Request.Gang!.GroupKey))
            {
                var required = gang.First().Request.Gang!.RequiredMembers;
                Assert.True(gang.Count() >= required, $"{gang.Key} holds {gang.Count()} workers, below its quorum {required}");
            }
        }, iter: Iterations);
    }

    [Fact]
    public void RolledBackGangsLeaveNoGpuOverCapacity()
    {
        Gen.Select(RandomBatches.Strategy, GangBatch).Sample((strategy, batch) =>
        {
            var allocator = new BatchAllocator(RandomBatches.Fleet(strategy));
            allocator.Solve(batch, TestFleet.Now);

            var held = allocator.State.Allocations.Keys.ToHashSet();
            foreach (var gpu in allocator.State.Gpus)
            {
                Assert.True(gpu.Available.MilliTflops >= 0 && gpu.Available.VramBytes >= 0, $"{gpu.Name} over capacity: {gpu.Available}");
                Assert.All(gpu.Workers, worker => Assert.Contains(worker, held));
            }
        }, iter: Iterations);
    }
}
