using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Prometheus;
using TensorFusion.Api;
using TensorFusion.IntegrationTests.Fuzz;
using TensorFusion.Pipelines.Agents;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// The long fuzz run of issue 14: TF_FUZZ_OBJECTS (default 5000) schema-valid, value-hostile workloads, pools, quotas
/// and profiles per seed (TF_FUZZ_SEEDS, default "1,2,3") applied to the embedded control plane (its own process) with
/// the operator running, a canary workload (10 TFLOPs, 1 GiB) in the GPU pool after every 10. Passes when every canary
/// is Running, every stored fuzz workload has a status (phase or condition), the operator never stopped and no GPU is
/// over-committed; <c>lost</c> counts the stored workloads left without an answer. The short seed set runs in
/// ./test.sh (FuzzTests); this one is for before a release.
/// </summary>
public sealed class FuzzScenario : IScenario
{
    private const string Pool = "bench";
    private const int CanaryEvery = 10;
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_SETTLE_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 600);

    public string Name => "fuzz";

    public string Description => "hostile objects from the CRD schemas with the operator running; canaries must run (TF_FUZZ_OBJECTS, default 5000; TF_FUZZ_SEEDS, default 1,2,3)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var objects = int.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_OBJECTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5000;
        var seeds = (Environment.GetEnvironmentVariable("TF_FUZZ_SEEDS") ?? "1,2,3")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(seed => int.Parse(seed, CultureInfo.InvariantCulture)).ToList();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var figures = await RunSeedAsync(seed, objects, cancellationToken);
            foreach (var (key, value) in figures)
            {
                totals[key] = totals.GetValueOrDefault(key) + value;
            }

            Console.Error.WriteLine($"fuzz seed {seed}: {figures["objectsTried"]} objects tried, {figures["rejectedAtAdmission"]} rejected at admission, "
                + $"{figures["quarantined"]} quarantined, {figures["lost"]} lost; {figures["canariesRunning"]}/{figures["canaries"]} canaries Running");
        }

        totals["seeds"] = seeds.Count;
        totals["seconds"] = watch.Elapsed.TotalSeconds;
        totals["objectsPerSecond"] = totals["objectsTried"] / totals["secondsToApply"];
        return totals;
    }

    private static async Task<Dictionary<string, double>> RunSeedAsync(int seed, int objects, CancellationToken cancellationToken)
    {
        await using var server = await ApiServerProcess.StartAsync(2, Math.Max(100_000, objects * 20), cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = Timeout.InfiniteTimeSpan };
        var client = KubeRestClient.WithBearerToken(http, server.BaseUri, server.Token);
        await BenchFleet.InstallAsync(client, Pool, 2, cancellationToken);
        await CreateFuzzNamespaceAndPoolAsync(client, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tensorFusion = new TensorFusionOperator(client, new OperatorOptions(), TimeProvider.System, Metrics.NewCustomRegistry(), new Random(seed),
            AgentAccess.Fixed(new InstantAgents()));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tensorFusion.AllocationStarted += _ => started.TrySetResult();
        var progress = new FuzzProgress();
        using var subscription = tensorFusion.Caches.Workloads.Changes.Subscribe(change => progress.Observe(change.Current));
        var run = Task.Run(() => tensorFusion.RunAsync(stop.Token), CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);

        var watch = Stopwatch.StartNew();
        var (tried, rejected) = await ApplyAsync(client, seed, objects, progress, cancellationToken);
        var applySeconds = watch.Elapsed.TotalSeconds;
        var settled = await WaitSettledAsync(client, progress, cancellationToken);
        var settleSeconds = watch.Elapsed.TotalSeconds - applySeconds;
        if (!settled)
        {
            // Name what the operator left unanswered with its stored object, so the run says which hostile value it was.
            foreach (var name in progress.Unanswered().Take(3))
            {
                var open = await client.GetAsync<JsonNode>(ResourceDescriptor.Workloads.ObjectPath(FuzzObjects.Namespace, name), cancellationToken);
                Console.Error.WriteLine($"fuzz: unanswered {name}: spec {open["spec"]?.ToJsonString()} status {open["status"]?.ToJsonString()}");
            }
        }

        var operatorStopped = run.IsCompleted;
        var overcommitted = await CountOvercommittedGpusAsync(client, cancellationToken);
        await stop.CancelAsync();
        await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        await server.StopAsync();
        var (canaries, canariesRunning, stored, handled, quarantined) = progress.Counts();
        return new Dictionary<string, double>
        {
            ["objectsTried"] = tried,
            ["rejectedAtAdmission"] = rejected,
            ["storedWorkloads"] = stored,
            ["quarantined"] = quarantined,
            ["lost"] = stored - handled,
            ["canaries"] = canaries,
            ["canariesRunning"] = canariesRunning,
            ["settled"] = settled ? 1 : 0,
            ["operatorStopped"] = operatorStopped ? 1 : 0,
            ["overcommittedGpus"] = overcommitted,
            ["secondsToApply"] = applySeconds,
            ["secondsToSettle"] = settleSeconds,
        };
    }

    /// <summary>
    /// Waits for the operator to answer everything (false after the limit): canaries by the cache's events, fuzz
    /// workloads by listing them from the API server every second; prints what is still open every 10 s.
    /// </summary>
    private static async Task<bool> WaitSettledAsync(KubeRestClient client, FuzzProgress progress, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (deadline.Elapsed < SettleLimit)
        {
            var listed = await client.GetAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath(FuzzObjects.Namespace), cancellationToken);
            progress.ObserveStored(listed["items"]!.AsArray());
            if (await progress.Settled.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
            {
                return true;
            }

            if (deadline.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = deadline.Elapsed;
                Console.Error.WriteLine($"fuzz: waiting {deadline.Elapsed.TotalSeconds:F0} s for {progress.Open()}");
            }
        }

        return false;
    }

    private static async Task<(int Tried, int Rejected)> ApplyAsync(KubeRestClient client, int seed, int objects, FuzzProgress progress, CancellationToken cancellationToken)
    {
        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (_, crd) in FuzzObjects.Kinds)
        {
            var definition = await client.GetAsync<JsonNode>($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}", cancellationToken);
            schemas[crd] = definition["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        }

        var random = new Random(seed);
        var fuzzer = new SchemaFuzzer(random, maxReplicas: 100);
        var (tried, rejected) = (0, 0);
        for (var index = 0; index < objects; index++)
        {
            if (index % CanaryEvery == 0)
            {
                var canary = $"canary-{seed}-{index.ToString(CultureInfo.InvariantCulture)}";
                progress.ExpectCanary(canary);
                await client.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath("default"), BenchFleet.Workload(canary, Pool, "10", "1Gi"), cancellationToken);
            }

            var (resource, crd) = FuzzObjects.Kinds[random.Next(FuzzObjects.Kinds.Length)];
            var body = FuzzObjects.Build(fuzzer, random, resource, schemas[crd], index, FuzzProgress.FuzzPool);
            var name = body["metadata"]!["name"]!.ToString();
            tried++;
            try
            {
                await client.CreateAsync<JsonNode>(resource.Namespaced ? resource.CollectionPath(FuzzObjects.Namespace) : resource.CollectionPath(), body, cancellationToken);
                if (resource == ResourceDescriptor.Workloads)
                {
                    progress.ExpectStored(name);
                }
            }
            catch (ApiStatusException refused) when (refused.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
            {
                // Refused at admission (422/400) or a name already taken (409): nothing new stored, nothing to answer.
                rejected++;
            }
        }

        progress.ApplyFinished();
        return (tried, rejected);
    }

    private static async Task CreateFuzzNamespaceAndPoolAsync(KubeRestClient client, CancellationToken cancellationToken)
    {
        await client.CreateAsync<JsonNode>("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = FuzzObjects.Namespace },
        }, cancellationToken);
        await client.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUPool",
            ["metadata"] = new JsonObject { ["name"] = FuzzProgress.FuzzPool },
            // A selector no node matches: the pool has no GPUs, its workers only ever meet the allocator.
            ["spec"] = JsonNode.Parse("""
                { "nodeManagerConfig": { "nodeSelector": { "nodeSelectorTerms": [ { "matchExpressions": [
                  { "key": "tensor-fusion.ai/fuzz-no-node", "operator": "In", "values": ["none"] } ] } ] } } }
                """),
        }, cancellationToken);
    }

    /// <summary>GPUs whose available TFLOPs or VRAM, as the allocator wrote them, went below zero.</summary>
    private static async Task<int> CountOvercommittedGpusAsync(KubeRestClient client, CancellationToken cancellationToken)
    {
        var gpus = await client.GetAsync<JsonNode>(ResourceDescriptor.Gpus.CollectionPath(), cancellationToken);
        return gpus["items"]!.AsArray().Count(gpu => new[] { "tflops", "vram" }
            .Any(field => gpu!["status"]?["available"]?[field]?.ToString().StartsWith('-') == true));
    }
}
