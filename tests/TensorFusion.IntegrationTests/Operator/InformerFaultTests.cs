using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// Informer faults after reliability-security.md §6 rows 1–5: each asserts the cache ends equal to the server and
/// every change was delivered exactly once (no loss, no duplicate).
/// </summary>
[Collection("Operator")]
[Trait("Category", "Fault")]
public sealed class InformerFaultTests
{
    private static readonly ResourceDescriptor ConfigMaps = OperatorCluster.ConfigMaps;

    [Fact]
    public async Task WatchCut_ChangesWhileDisconnected_ResumesFromLastVersionWithoutRelist()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await using var harness = await Harness.StartAsync(cluster);
        await CreateAsync(cluster, "a");
        await harness.WaitForAsync(ChangeType.Added, "a");

        harness.Faults.Intercept = WatchesAnswer(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        harness.Faults.CutWatches();
        await UpdateAsync(cluster, "a", "2");
        await DeleteAsync(cluster, "a");
        await CreateAsync(cluster, "b");
        harness.Faults.Intercept = null;

        await harness.WaitForAsync(ChangeType.Added, "b");
        Assert.Equal(["Added a", "Modified a", "Deleted a", "Added b"], harness.Log);
        Assert.Equal(1, harness.Metrics.Relists);
        Assert.Equal(["default/b"], harness.Informer.List().Select(ObjectKeys.Of));
        // The index followed the update (a: 1 → 2), the delete and the create.
        Assert.Equal(["b"], harness.Informer.ListByIndex(Harness.ByValue, "1").Select(cm => cm.Metadata.Name));
        Assert.Empty(harness.Informer.ListByIndex(Harness.ByValue, "2"));
    }

    [Fact]
    public async Task Expired410_DeleteDuringGap_RelistEmitsTombstone()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await using var harness = await Harness.StartAsync(cluster);
        await CreateAsync(cluster, "keep");
        await CreateAsync(cluster, "gone");
        await harness.WaitForAsync(ChangeType.Added, "gone");

        harness.Faults.Intercept = WatchesAnswer(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        harness.Faults.CutWatches();
        await DeleteAsync(cluster, "gone");
        await UpdateAsync(cluster, "keep", "2");
        var expiredOnce = 0;
        harness.Faults.Intercept = request => IsWatch(request) && Interlocked.Exchange(ref expiredOnce, 1) == 0
            ? FaultInjectingHandler.Status(HttpStatusCode.Gone, "Expired")
            : null;

        await harness.WaitForAsync(ChangeType.Deleted, "gone");
        await harness.WaitForAsync(ChangeType.Modified, "keep");
        Assert.Equal(2, harness.Metrics.Relists);
        Assert.Single(harness.Log, entry => entry == "Deleted gone");
        Assert.Equal(["default/keep"], harness.Informer.List().Select(ObjectKeys.Of));
        // The relist rebuilt the index: "gone" left it, "keep" moved from 1 to 2.
        Assert.Empty(harness.Informer.ListByIndex(Harness.ByValue, "1"));
        Assert.Equal(["keep"], harness.Informer.ListByIndex(Harness.ByValue, "2").Select(cm => cm.Metadata.Name));
    }

    [Fact]
    public async Task TooLargeResourceVersion_FullRelistNoCrashLoop()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await using var harness = await Harness.StartAsync(cluster);
        var once = 0;
        harness.Faults.Intercept = request => IsWatch(request) && Interlocked.Exchange(ref once, 1) == 0
            ? new HttpResponseMessage(HttpStatusCode.GatewayTimeout) { Content = new StringContent("""{"kind":"Status","reason":"Timeout","message":"Too large resource version: 999999, current: 12","code":504}""") }
            : null;
        harness.Faults.CutWatches();

        await CreateAsync(cluster, "after");

        await harness.WaitForAsync(ChangeType.Added, "after");
        Assert.Equal(2, harness.Metrics.Relists);
        Assert.Single(harness.Log, entry => entry == "Added after");
    }

    [Fact]
    public async Task TooManyRequestsStorm_BacksOffAndResumesWithoutRelist()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await using var harness = await Harness.StartAsync(cluster);
        var rejected = 0;
        var stormOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Faults.Intercept = request =>
        {
            if (!IsWatch(request))
            {
                return null;
            }

            if (Interlocked.Increment(ref rejected) >= 5)
            {
                stormOver.TrySetResult();
            }

            return FaultInjectingHandler.Status(HttpStatusCode.TooManyRequests, "TooManyRequests", TimeSpan.Zero);
        };
        harness.Faults.CutWatches();
        await CreateAsync(cluster, "during-storm");
        await stormOver.Task.WaitAsync(OperatorCluster.Wait);
        harness.Faults.Intercept = null;

        await harness.WaitForAsync(ChangeType.Added, "during-storm");
        Assert.Equal(1, harness.Metrics.Relists);
        Assert.True(harness.Metrics.WatchRestarts >= 5, $"expected ≥5 backed-off watch restarts, saw {harness.Metrics.WatchRestarts}");
        Assert.Single(harness.Log, entry => entry == "Added during-storm");
    }

    [Fact]
    public async Task SilentWatch_RenewedAfterSilenceTimeout_NoEventLost()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var faults = new FaultInjectingHandler();
        var opened = 0;
        faults.Intercept = request =>
        {
            if (IsWatch(request))
            {
                faults.StallWatches = Interlocked.Increment(ref opened) == 1;
            }

            return null;
        };
        await using var harness = await Harness.StartAsync(cluster, faults, new InformerOptions { SilenceTimeout = TimeSpan.FromSeconds(1), InitialBackoff = TimeSpan.FromMilliseconds(20) });

        await CreateAsync(cluster, "while-silent");

        await harness.WaitForAsync(ChangeType.Added, "while-silent");
        Assert.True(faults.WatchOpens >= 2, "the silent watch was replaced by a new one");
        Assert.Single(harness.Log, entry => entry == "Added while-silent");
        Assert.Equal(1, harness.Metrics.Relists);
    }

    private static bool IsWatch(HttpRequestMessage request) => request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;

    private static Func<HttpRequestMessage, HttpResponseMessage?> WatchesAnswer(HttpStatusCode code, string reason) =>
        request => IsWatch(request) ? FaultInjectingHandler.Status(code, reason) : null;

    private static Task CreateAsync(OperatorCluster cluster, string name) =>
        cluster.Direct.CreateAsync(ConfigMaps.CollectionPath(OperatorCluster.Namespace), new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorCluster.Namespace },
            Data = new Dictionary<string, string> { ["v"] = "1" },
        }, CancellationToken.None);

    private static Task UpdateAsync(OperatorCluster cluster, string name, string value) =>
        cluster.Direct.MergePatchAsync<JsonNode>(ConfigMaps.ObjectPath(OperatorCluster.Namespace, name), new JsonObject { ["data"] = new JsonObject { ["v"] = value } }, CancellationToken.None);

    private static Task DeleteAsync(OperatorCluster cluster, string name) =>
        cluster.Direct.DeleteAsync(ConfigMaps.ObjectPath(OperatorCluster.Namespace, name), null, CancellationToken.None);

    /// <summary>A ConfigMap informer behind a fault handler, logging every change as "Type name".</summary>
    private sealed class Harness : IAsyncDisposable
    {
        /// <summary>An index of the ConfigMaps by their data "v", kept through every fault.</summary>
        public const string ByValue = "v";

        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _log = new();
        private readonly Lock _logGate = new();
        private readonly List<(string Entry, TaskCompletionSource Seen)> _logWaiters = [];
        private readonly IDisposable _subscription;
        private Task _run = Task.CompletedTask;

        private Harness(OperatorCluster cluster, FaultInjectingHandler faults, InformerOptions options)
        {
            Faults = faults;
            var client = KubeRestClient.WithBearerToken(new HttpClient(faults) { Timeout = Timeout.InfiniteTimeSpan }, cluster.Server.BaseUri, cluster.Server.Token);
            Informer = new Informer<V1ConfigMap>(client, ConfigMaps, options, TimeProvider.System, new Random(3), Metrics);
            Informer.AddIndex(ByValue, cm => cm.Data is { } data && data.TryGetValue("v", out var value) ? value : null);
            _subscription = Informer.Changes.Subscribe(change => Record($"{change.Type} {change.Current.Metadata.Name}"));
        }

        public FaultInjectingHandler Faults { get; }

        public RecordingInformerMetrics Metrics { get; } = new();

        public Informer<V1ConfigMap> Informer { get; }

        public IReadOnlyList<string> Log => [.. _log.Where(entry => !entry.EndsWith("kube-root-ca.crt", StringComparison.Ordinal))];

        public static async Task<Harness> StartAsync(OperatorCluster cluster, FaultInjectingHandler? faults = null, InformerOptions? options = null)
        {
            var harness = new Harness(cluster, faults ?? new FaultInjectingHandler(), options ?? new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
            harness._run = Task.Run(() => harness.Informer.RunAsync(harness._stop.Token));
            await harness.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);

            // Faults aimed at "the open watch" need one to be open.
            await harness.Faults.WaitForWatchOpensAsync(1);
            return harness;
        }

        /// <summary>
        /// Completes once the change is in the log. Waiters are checked by the same callback that writes the log: a
        /// waiter subscribed beside it could miss a change whose delivery had begun before it subscribed (seen once,
        /// at load 24: the log held "Added after" and the wait timed out).
        /// </summary>
        public async Task WaitForAsync(ChangeType type, string name)
        {
            var entry = $"{type} {name}";
            Task seen;
            lock (_logGate)
            {
                if (_log.Contains(entry))
                {
                    return;
                }

                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _logWaiters.Add((entry, waiter));
                seen = waiter.Task;
            }

            try
            {
                await seen.WaitAsync(OperatorCluster.Wait);
            }
            catch (TimeoutException)
            {
                // Say what the informer went through, so a timeout can be told apart from a lost event.
                Assert.Fail($"timed out after {OperatorCluster.Wait.TotalSeconds} s waiting until {entry} is delivered; changes seen: " +
                    $"[{string.Join(", ", Log)}], relists {Metrics.Relists}, watch restarts {Metrics.WatchRestarts}, watches " +
                    $"opened {Faults.WatchOpens}, cached: [{string.Join(", ", Informer.List().Select(cm => cm.Metadata.Name))}]");
            }
        }

        private void Record(string entry)
        {
            lock (_logGate)
            {
                _log.Enqueue(entry);
                foreach (var waiter in _logWaiters.Where(waiter => waiter.Entry == entry).ToList())
                {
                    waiter.Seen.TrySetResult();
                    _logWaiters.Remove(waiter);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _stop.CancelAsync();
            await _run.WaitAsync(OperatorCluster.Wait);
            Informer.Dispose();
            _stop.Dispose();
        }
    }
}
