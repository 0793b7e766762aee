using CsCheck;
using TensorFusion.Gpu.Devices;
using TensorFusion.Gpu.Plans;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Tests.Plans;

public sealed class PlanDifferTests
{
    private static readonly DeviceInfo Mig = new("GPU-0", "A100-80GB", 0, 0, 80L << 30, 108, true, true, DeviceHealth.Healthy, 312);
    private static readonly DeviceInfo Plain = new("GPU-1", "L4", 1, 0, 24L << 30, 58, false, false, DeviceHealth.Healthy, 121);

    [Fact]
    public void Diff_EmptyNodeAndPlan_CreatesPartitionAndLimits()
    {
        var plan = new NodePlan("n", 1, [Partitioned("a", 9, 4), Fractional("b", 60.5)]);

        var diff = PlanDiffer.Diff(plan, Observed([]), d => d.MaxTflops);

        Assert.Equal([new PartitionChange("GPU-0", 9, 4, OwnerKey: "ns_a")], diff.CreatePartitions);
        Assert.Empty(diff.EnableMigOn); // GPU-0 already has MIG on
        // 60.5 of 121 TFLOPs = 50 %; the limit equals the request.
        Assert.Equal(new WorkerLimits("GPU-1", IsolationMode.Hard, 50, 50, 0, 0), diff.WriteLimits.Single(l => l.WorkerKey == "ns_b").Limits.Single());
    }

    [Fact]
    public void Diff_PartitionOnNonMigGpuOrUnknownGpu_Unplaceable()
    {
        var onPlain = new PlannedAllocation("ns", "wl", "x", IsolationMode.Partitioned, [new PlannedDeviceShare("GPU-1", 0, 0, 0, 0, new PlannedPartition(19, 0))]);
        var onMissing = new PlannedAllocation("ns", "wl", "y", IsolationMode.Soft, [new PlannedDeviceShare("GPU-9", 1, 1, 0, 0)]);

        var diff = PlanDiffer.Diff(new NodePlan("n", 1, [onPlain, onMissing]), Observed([]), d => d.MaxTflops);

        Assert.Equal(["x", "y"], diff.Unplaceable.Select(u => u.Worker));
        Assert.Contains("does not support MIG", diff.Unplaceable[0].Reason, StringComparison.Ordinal);
        Assert.Empty(diff.CreatePartitions);
        Assert.Empty(diff.WriteLimits);
    }

    /// <summary>Law: applying a diff to the observed state yields a state whose diff against the same plan is empty.</summary>
    [Fact]
    public void DiffOfPatchedStateIsEmpty()
    {
        var placements = new (int Profile, int Start)[] { (19, 0), (19, 3), (19, 6), (14, 0), (14, 2), (14, 4), (9, 0), (9, 4), (0, 0) };
        var genPlacement = Gen.Int[0, placements.Length - 1].Select(i => placements[i]);
        var genPlan = genPlacement.Array[0, 4].Select(chosen => new NodePlan("n", 1,
            chosen.Distinct().Select((p, i) => Partitioned($"w{i}", p.Profile, p.Start)).ToArray()));
        var genObserved = genPlacement.Array[0, 4].Select(existing => existing.Distinct()
            .Select((p, i) => new ObservedPartition("GPU-0", i + 1, p.Profile, p.Start)).ToArray());

        Gen.Select(genPlan, genObserved).Sample((plan, partitions) =>
        {
            var diff = PlanDiffer.Diff(plan, Observed(partitions), d => d.MaxTflops);
            var patched = partitions
                .Where(p => !diff.DestroyPartitions.Any(d => d.GpuInstanceId == p.GpuInstanceId))
                .Concat(diff.CreatePartitions.Select((c, i) => new ObservedPartition(c.GpuUuid, 100 + i, c.ProfileId, c.PlacementStart)))
                .ToArray();
            var limits = diff.WriteLimits.ToDictionary(l => l.WorkerKey, l => l.Limits);
            var again = PlanDiffer.Diff(plan, new ObservedNodeState([Mig, Plain], patched, limits), d => d.MaxTflops);
            return again.IsEmpty;
        });
    }

    private static ObservedNodeState Observed(IReadOnlyList<ObservedPartition> partitions) =>
        new([Mig, Plain], partitions, new Dictionary<string, IReadOnlyList<WorkerLimits>>());

    private static PlannedAllocation Partitioned(string worker, int profile, int start) =>
        new("ns", "wl", worker, IsolationMode.Partitioned, [new PlannedDeviceShare("GPU-0", 0, 0, 0, 0, new PlannedPartition(profile, start))]);

    private static PlannedAllocation Fractional(string worker, double tflops) =>
        new("ns", "wl", worker, IsolationMode.Hard, [new PlannedDeviceShare("GPU-1", tflops, tflops, 0, 0)]);
}
