using System.Diagnostics;
using TensorFusion.Gpu.Capacity;
using TensorFusion.Gpu.Requests;
using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// 250 nodes × 8 H100 (2 000 GPUs) and 400 gangs of 2–16 members (half whole-GPU gangs, half fractional), about 1.3 × the
/// fleet's capacity in one batch: every gang is decided all or nothing. Reports decisions per second, how many gangs
/// run, that none holds GPUs below its quorum, and GPUs used against the packing lower bound.
/// </summary>
public sealed class GangsScenario : IScenario
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string Name => "gangs";

    public string Description => "gang allocation: 250 nodes × 8 H100, 400 all-or-nothing gangs of 2–16 members in one batch";

    public Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var requests = Requests(400, seed: 11);
        Run(requests); // JIT warm-up.
        var runs = Enumerable.Range(0, 3).Select(_ => Run(requests)).OrderBy(run => run.ElapsedMs).ToArray();
        var median = runs[1];
        IReadOnlyDictionary<string, double> figures = new Dictionary<string, double>
        {
            ["decisionsPerSecond"] = median.Decisions / Math.Max(median.ElapsedMs / 1000, 1e-9),
            ["elapsedMs"] = median.ElapsedMs,
            ["gangs"] = 400,
            ["gangsPlaced"] = median.GangsPlaced,
            ["gangsBelowQuorum"] = median.GangsBelowQuorum,
            ["workersRequested"] = requests.Length,
            ["gpusUsed"] = median.GpusUsed,
            ["lowerBoundGpus"] = median.LowerBound,
            ["gpusUsedOverLowerBound"] = median.GpusUsed / (double)Math.Max(median.LowerBound, 1),
        };
        return Task.FromResult(figures);
    }

    private static (int Decisions, double ElapsedMs, int GangsPlaced, int GangsBelowQuorum, int GpusUsed, int LowerBound) Run(AllocationRequest[] requests)
    {
        var state = AllocationScenario.Fleet(250); // the same H100 fleet as the allocation scenario, smaller
        var allocator = new BatchAllocator(state);
        var stopwatch = Stopwatch.StartNew();
        var decisions = allocator.Solve(requests, Now);
        stopwatch.Stop();
        var held = state.Allocations.Values.GroupBy(allocation => allocation.Request.Gang!.GroupKey).ToArray();
        return (
            decisions.Count,
            stopwatch.Elapsed.TotalMilliseconds,
            held.Length,
            held.Count(gang => gang.Count() < gang.First().Request.Gang!.RequiredMembers),
            PackingBound.GpusUsed(state),
            PackingBound.LowerBoundGpus(state, state.Allocations.Values));
    }

    /// <summary>Gang g has 2–16 members; even gangs take whole GPUs, odd ones VRAM-bound shares of 10–40 GiB.</summary>
    private static AllocationRequest[] Requests(int gangs, int seed)
    {
        var random = new Random(seed);
        var qos = new[] { QosLevel.Low, QosLevel.Medium, QosLevel.High };
        var requests = new List<AllocationRequest>();
        for (var g = 0; g < gangs; g++)
        {
            var size = random.Next(2, 17);
            var required = random.NextDouble() < 0.5 ? size : Math.Max(2, size - random.Next(0, size / 2 + 1));
            var vramGib = random.Next(10, 41);
            var amount = g % 2 == 0
                ? GpuResources.FromTflops(989, ByteSize.FromGibibytes(80))
                : GpuResources.FromTflops(Math.Round(vramGib / 80.0 * 989, 1), ByteSize.FromGibibytes(vramGib));
            var level = qos[random.Next(qos.Length)];
            for (var m = 0; m < size; m++)
            {
                requests.Add(new AllocationRequest
                {
                    Namespace = $"team-{g % 10}",
                    Workload = $"gang-{g}",
                    Worker = $"gang-{g}-{m}",
                    Pool = "default",
                    Qos = level,
                    Request = amount,
                    Limit = amount,
                    Gang = new GangMembership($"team-{g % 10}/gang-{g}", required),
                });
            }
        }

        return [.. requests];
    }
}
