using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Text.Json.Nodes;
using Prometheus;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// Through the operator: N TensorFusionWorkloads (TF_E2E_WORKLOADS, default 1000; replicas 1, 100 TFLOPs / 8 GiB) applied
/// to the embedded control plane (in a process of its own, <see cref="ApiServerProcess"/>) → workload reconciler → worker pods → batched allocation → annotated, bound → the
/// simulated kubelet's Running → workload status Running. GPUs are GPU/GPUNode objects as agents register them (8 × H100
/// per node, 64 workers per node); plans go to agents that acknowledge at once (the agent has its own scenario).
/// workloadsPerSecond = N / secondsToAllRunning, measured from the first create to the last workload whose status says
/// Running. operatorPeakMemoryMb is this process's peak working set: the operator plus the scenario's client and
/// observers (an upper bound for the operator alone); the API server's own peak and CPU time are reported beside it.
/// managedCommittedMb and managedLiveMb split the peak: memory the GC holds (live objects plus its gen0 budget) and what
/// survives a full collection. The operator's Deployment sets DOTNET_GCgen0size=0x1000000; run with it for the figure
/// as deployed (the GC's default budget, sized from the CPU cache, adds ~60 MB at 10 000 workloads).
/// </summary>
public sealed class EndToEndScenario : IScenario
{
    private const string Pool = "bench";

    public string Name => "e2e";

    public string Description => "workloads → operator → worker pods → batched allocation → bound, Running, status (TF_E2E_WORKLOADS, default 1000; TF_E2E_RECONCILES, default 8; TF_E2E_DRA_CLAIMS=1 for DRA claims)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var workloads = int.TryParse(Environment.GetEnvironmentVariable("TF_E2E_WORKLOADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : 1000;
        var reconciles = int.TryParse(Environment.GetEnvironmentVariable("TF_E2E_RECONCILES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r > 0
            ? r
            : 8;
        // TF_E2E_DRA_CLAIMS=1: every worker gets its ResourceClaim, created and allocated before its bind (two more writes).
        var draClaims = Environment.GetEnvironmentVariable("TF_E2E_DRA_CLAIMS") == "1";
        var nodes = (workloads / 64) + 1;
        await using var server = await ApiServerProcess.StartAsync(nodes, Math.Max(100_000, workloads * 20), cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = Timeout.InfiniteTimeSpan };
        var client = KubeRestClient.WithBearerToken(http, server.BaseUri, server.Token);
        await BenchFleet.InstallAsync(client, Pool, nodes, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var registry = Metrics.NewCustomRegistry();
        var tensorFusion = new TensorFusionOperator(client, new OperatorOptions { MaxConcurrentReconciles = reconciles, DraClaims = draClaims }, TimeProvider.System,
            registry, new Random(1), AgentAccess.Fixed(new InstantAgents()));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tensorFusion.AllocationStarted += _ => started.TrySetResult();
        var podsRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workloadsRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new HashSet<string>(StringComparer.Ordinal);
        var ready = new HashSet<string>(StringComparer.Ordinal);
        using var podSubscription = tensorFusion.Caches.Pods.Changes
            .Where(change => change.Current.Status?.Phase == "Running" && change.Current.Metadata.Annotations?.ContainsKey(Annotations.GpuIds) == true)
            .Subscribe(change => Count(running, change.Current.Metadata.Name, workloads, podsRunning));
        using var workloadSubscription = tensorFusion.Caches.Workloads.Changes
            .Where(change => change.Current.Status?.Phase == WorkloadPhase.Running)
            .Subscribe(change => Count(ready, change.Current.Metadata.Name, workloads, workloadsRunning));
        // Where the time goes: when each worker pod appeared, was bound, ran (seconds since the first create).
        var stages = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var clock = new Stopwatch();
        using var stageSubscription = tensorFusion.Caches.Pods.Changes.Subscribe(change =>
        {
            lock (stages)
            {
                var times = stages.TryGetValue(change.Current.Metadata.Name, out var known) ? known : stages[change.Current.Metadata.Name] = [double.NaN, double.NaN, double.NaN];
                var now = clock.Elapsed.TotalSeconds;
                times[0] = double.IsNaN(times[0]) ? now : times[0];
                times[1] = double.IsNaN(times[1]) && !string.IsNullOrEmpty(change.Current.Spec?.NodeName) ? now : times[1];
                times[2] = double.IsNaN(times[2]) && change.Current.Status?.Phase == "Running" ? now : times[2];
            }
        });
        var run = Task.Run(() => tensorFusion.RunAsync(stop.Token), CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);

        using var process = Process.GetCurrentProcess();
        var memoryAtStart = process.WorkingSet64 / (1024.0 * 1024.0);
        var watch = Stopwatch.StartNew();
        clock.Start();
        await Parallel.ForEachAsync(Enumerable.Range(0, workloads), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
            await client.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath("default"), BenchFleet.Workload($"w{i.ToString(CultureInfo.InvariantCulture)}", Pool, "100", "8Gi"), ct));
        var created = watch.Elapsed.TotalSeconds;
        await podsRunning.Task.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken);
        var podsSeconds = watch.Elapsed.TotalSeconds;
        await workloadsRunning.Task.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var peak = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        // Where the peak goes: the GC's own view at the end (heap incl. gen0 budget, committed) and the live set after a full collection.
        var gcInfo = GC.GetGCMemoryInfo();
        var heapMb = gcInfo.HeapSizeBytes / (1024.0 * 1024.0);
        var committedMb = gcInfo.TotalCommittedBytes / (1024.0 * 1024.0);
        var liveMb = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        var operatorCpu = process.TotalProcessorTime.TotalSeconds;
        await stop.CancelAsync();
        await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        var (apiServerPeak, apiServerCpu) = await server.StopAsync();
        double[][] timeline;
        lock (stages)
        {
            timeline = [.. stages.Values.Where(t => !double.IsNaN(t[2]))];
        }

        using var scrape = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(scrape, cancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(scrape.ToArray());
        return new Dictionary<string, double>
        {
            ["batches"] = Sample(text, "tensorfusion_allocation_batch_size_count"),
            ["meanBatchSize"] = Sample(text, "tensorfusion_allocation_batch_size_sum") / Sample(text, "tensorfusion_allocation_batch_size_count"),
            ["meanAllocationLatencyMs"] = 1000 * Sample(text, "tensorfusion_allocation_latency_seconds_sum") / Sample(text, "tensorfusion_allocation_latency_seconds_count"),
            ["secondsToAllWorkerPodsCreated"] = timeline.Max(t => t[0]),
            ["createdToBoundP50Ms"] = Median(timeline.Select(t => (t[1] - t[0]) * 1000)),
            ["boundToRunningP50Ms"] = Median(timeline.Select(t => (t[2] - t[1]) * 1000)),
            ["reconciles"] = SumOf(text, "tensorfusion_reconcile_total{"),
            ["workloads"] = workloads,
            ["maxConcurrentReconciles"] = reconciles,
            ["gpus"] = nodes * 8,
            ["workloadsPerSecond"] = workloads / seconds,
            ["secondsToAllRunning"] = seconds,
            ["secondsToAllWorkerPodsRunning"] = podsSeconds,
            ["secondsToCreateAll"] = created,
            ["operatorPeakMemoryMb"] = peak,
            ["operatorMemoryAtStartMb"] = memoryAtStart,
            ["managedHeapMb"] = heapMb,
            ["managedCommittedMb"] = committedMb,
            ["managedLiveMb"] = liveMb,
            ["gcPauseSeconds"] = GC.GetTotalPauseDuration().TotalSeconds,
            ["gen2Collections"] = GC.CollectionCount(2),
            ["operatorCpuSeconds"] = operatorCpu,
            ["apiServerPeakMemoryMb"] = apiServerPeak,
            ["apiServerCpuSeconds"] = apiServerCpu,
        };
    }

    /// <summary>The value of the first sample line of <paramref name="name"/> with the bench pool's label.</summary>
    private static double Sample(string exposition, string name) =>
        exposition.Split('\n').Where(line => line.StartsWith(name + "{pool=\"bench\"}", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault(double.NaN);

    /// <summary>The sum of every sample line that starts with <paramref name="prefix"/> (all label values).</summary>
    private static double SumOf(string exposition, string prefix) =>
        exposition.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static void Count(HashSet<string> seen, string name, int target, TaskCompletionSource done)
    {
        lock (seen)
        {
            if (seen.Add(name) && seen.Count >= target)
            {
                done.TrySetResult();
            }
        }
    }
}
