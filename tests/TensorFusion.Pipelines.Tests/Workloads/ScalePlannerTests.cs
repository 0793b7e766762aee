using CsCheck;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Workloads;

public sealed class ScalePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_NoWorkers_CreatesLowestIndices()
    {
        var plan = ScalePlanner.Plan(3, "h", []);

        Assert.Equal([0, 1, 2], plan.CreateIndices);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Plan_GapInIndices_FillsTheGap()
    {
        var plan = ScalePlanner.Plan(3, "h", [Pod("w-0", "h", 0, ready: true, 0), Pod("w-2", "h", 2, ready: true, 1)]);

        Assert.Equal([1], plan.CreateIndices);
    }

    [Fact]
    public void Plan_ScaleDown_UnreadyFirstThenNewest()
    {
        var pods = new[]
        {
            Pod("old-ready", "h", 0, ready: true, 0),
            Pod("new-ready", "h", 1, ready: true, 5),
            Pod("mid-unready", "h", 2, ready: false, 3),
            Pod("mid-ready", "h", 3, ready: true, 3),
        };

        var plan = ScalePlanner.Plan(1, "h", pods);

        Assert.Equal(["mid-unready", "new-ready", "mid-ready"], plan.Delete.Select(p => p.Name));
        Assert.Empty(plan.CreateIndices);
    }

    [Fact]
    public void Plan_HashChangedAllOldReady_SurgesAndKeepsOldUntilNewReady()
    {
        var old = Enumerable.Range(0, 3).Select(i => Pod($"old-{i}", "old", i, ready: true, i)).ToList();

        var plan = ScalePlanner.Plan(3, "new", old);

        // 3 new created, none of the 3 ready old deleted: ready stays 3.
        Assert.Equal([0, 1, 2], plan.CreateIndices);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Plan_OneNewReady_ReleasesExactlyOneOld()
    {
        var pods = new List<WorkerPodState>
        {
            Pod("old-0", "old", 0, ready: true, 0),
            Pod("old-1", "old", 1, ready: true, 1),
            Pod("old-2", "old", 2, ready: true, 2),
            Pod("new-0", "new", 0, ready: true, 10),
            Pod("new-1", "new", 1, ready: false, 10),
            Pod("new-2", "new", 2, ready: false, 10),
        };

        var plan = ScalePlanner.Plan(3, "new", pods);

        // Floor min(3, 1 + 3) = 3; the new cover 1, so 2 old stay; the oldest goes.
        Assert.Equal(["old-0"], plan.Delete.Select(p => p.Name));
    }

    [Fact]
    public void Plan_AnyMix_NeverDropsReadyBelowWhatTheUserHad()
    {
        var gen = Gen.Select(Gen.Int[0, 6], Gen.Bool.Array[0, 6], Gen.Bool.Array[0, 6]);
        gen.Sample((desired, oldReady, newReady) =>
        {
            var pods = oldReady.Select((ready, i) => Pod($"old-{i}", "old", i, ready, i))
                .Concat(newReady.Select((ready, i) => Pod($"new-{i}", "new", i, ready, 100 + i)))
                .ToList();
            var readyBefore = pods.Count(p => p.Ready);

            var plan = ScalePlanner.Plan(desired, "new", pods);

            var deleted = plan.Delete.Select(p => p.Name).ToHashSet();
            var readyAfter = pods.Count(p => p.Ready && !deleted.Contains(p.Name));
            Assert.True(readyAfter >= Math.Min(desired, readyBefore), $"desired {desired}, ready {readyBefore} → {readyAfter}");
            Assert.Equal(deleted.Count, plan.Delete.Count);
        });
    }

    private static WorkerPodState Pod(string name, string hash, int index, bool ready, int minute) =>
        new(name, name + "-uid", hash, index, ready, T0.AddMinutes(minute));
}
