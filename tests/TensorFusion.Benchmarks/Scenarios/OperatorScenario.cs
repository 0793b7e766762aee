using System.Diagnostics;
using System.Reactive.Linq;
using System.Text.Json.Nodes;
using Prometheus;
using TensorFusion.Api;
using TensorFusion.Api.Schema;
using TensorFusion.Api.Workloads;
using TensorFusion.LocalCluster;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Operating;
using TensorFusion.Pipelines.Queue;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>
/// The operator's pipeline: raw work-queue throughput (add/take/done of 100 000 keys, each added 3 times), then, against
/// the embedded API server over loopback HTTP, 300 fixed-replica workloads (replicas 2) from creation until every one
/// has 2 worker pods and a written status.
/// </summary>
public sealed class OperatorScenario : IScenario
{
    private const int Keys = 100_000;
    private const int Workloads = 300;

    public string Name => "operator";

    public string Description => "work queue ops/s; 300 workloads × 2 workers reconciled end to end on the embedded server";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(CancellationToken cancellationToken)
    {
        var queueOps = await QueueThroughputAsync(cancellationToken);
        var (seconds, podsCreated) = await ReconcileAsync(cancellationToken);
        return new Dictionary<string, double>
        {
            ["queueKeysPerSecond"] = queueOps,
            ["workloadsPerSecond"] = Workloads / seconds,
            ["workerPodsPerSecond"] = podsCreated / seconds,
            ["endToEndSeconds"] = seconds,
        };
    }

    private static async Task<double> QueueThroughputAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        var keys = Enumerable.Range(0, Keys).Select(i => $"ns/w{i}").ToArray();
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                queue.Add(key);
            }
        }

        for (var i = 0; i < Keys; i++)
        {
            var (_, key) = await queue.TakeAsync(cancellationToken);
            queue.Done(key);
        }

        return Keys / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Seconds, int Pods)> ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions { UseHttps = false }, cancellationToken);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = KubeRestClient.WithBearerToken(http, server.BaseUri, server.Token);
        foreach (var kind in ApiKinds.All)
        {
            await client.CreateAsync<JsonNode>("apis/apiextensions.k8s.io/v1/customresourcedefinitions", CrdGenerator.Generate(kind), cancellationToken);
        }

        await client.CreateAsync<JsonNode>(ResourceDescriptor.GpuPools.CollectionPath(), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUPool",
            ["metadata"] = new JsonObject { ["name"] = "bench" },
            ["spec"] = new JsonObject
            {
                ["nodeManagerConfig"] = JsonNode.Parse("""{"nodeSelector":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"nvidia.com/gpu.present","operator":"In","values":["true"]}]}]}}"""),
            },
        }, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tensorFusion = new TensorFusionOperator(client, new OperatorOptions { MaxConcurrentReconciles = 8, EnableAllocation = false }, TimeProvider.System, Metrics.NewCustomRegistry());
        var run = Task.Run(() => tensorFusion.RunAsync(stop.Token), CancellationToken.None);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new HashSet<string>();
        using var subscription = tensorFusion.Caches.Workloads.Changes
            .Where(change => change.Current.Status?.WorkerCount == 2)
            .Subscribe(change =>
            {
                lock (finished)
                {
                    if (finished.Add(change.Current.Metadata.Name) && finished.Count == Workloads)
                    {
                        done.TrySetResult();
                    }
                }
            });
        await tensorFusion.Caches.Workloads.WaitForSyncAsync(cancellationToken);

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Workloads), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            await client.CreateAsync<JsonNode>(ResourceDescriptor.Workloads.CollectionPath("default"), new JsonObject
            {
                ["apiVersion"] = TensorFusionApi.ApiVersion,
                ["kind"] = TensorFusionWorkload.KubeKind,
                ["metadata"] = new JsonObject { ["name"] = $"w{i}", ["namespace"] = "default" },
                ["spec"] = new JsonObject { ["poolName"] = "bench", ["replicas"] = 2 },
            }, ct));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        var pods = tensorFusion.Caches.Pods.Count;
        await stop.CancelAsync();
        await run.ContinueWith(static _ => { }, TaskScheduler.Default);
        return (seconds, pods);
    }
}
