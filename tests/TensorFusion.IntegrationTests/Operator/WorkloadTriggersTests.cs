using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Text.Json.Nodes;
using TensorFusion.Api;
using TensorFusion.Api.Conventions;
using TensorFusion.Api.Nodes;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// Which changes requeue workloads. Pool and GPUNode status move with every allocation batch; if each of those
/// requeued every workload of the pool, 10 000 workloads would be reconciled again per batch. Each test makes the
/// ignored change first and the relevant one second on the same informer, whose changes arrive in order: when the
/// second change's key arrives, the first one had its chance and the key log shows whether it took it.
/// </summary>
[Trait("Category", "Integration")]
[Collection("Operator")]
public sealed class WorkloadTriggersTests
{
    [Fact]
    public async Task Keys_PoolStatusChange_NoKey_PoolSpecChange_EveryWorkloadOfThePool()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await cluster.CreatePoolAsync("pool");
        await cluster.CreateWorkloadAsync("a", "pool", replicas: 1);
        await cluster.CreateWorkloadAsync("b", "pool", replicas: 1);
        await using var triggers = await Triggers.StartAsync(cluster, "default/a", "default/b");

        await cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuPools.ObjectPath(null, "pool") + "/status",
            new JsonObject { ["status"] = new JsonObject { ["totalGPUs"] = 8, ["readyNodes"] = 1 } }, CancellationToken.None);
        await cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuPools.ObjectPath(null, "pool"),
            new JsonObject { ["spec"] = new JsonObject { ["componentConfig"] = new JsonObject { ["worker"] = new JsonObject { ["image"] = "tensorfusion/worker:v2" } } } },
            CancellationToken.None);

        await triggers.WaitForMarkAsync("pool generation 2");
        Assert.Equal(["default/a", "default/b"], triggers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keys_GpuNodeStatusChange_NoKey_GpuCountChange_OnlyMultiGpuWorkloads()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await cluster.CreatePoolAsync("pool");
        await cluster.CreateWorkloadAsync("one-gpu", "pool", replicas: 1);
        await cluster.CreateWorkloadAsync("four-gpus", "pool", replicas: 1, gpuCount: 4);
        await cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.GpuNodes.CollectionPath(), new JsonObject
        {
            ["apiVersion"] = TensorFusionApi.ApiVersion,
            ["kind"] = "GPUNode",
            ["metadata"] = new JsonObject { ["name"] = "node-a", ["labels"] = new JsonObject { [Labels.GpuPool] = "pool" } },
        }, CancellationToken.None);
        await using var triggers = await Triggers.StartAsync(cluster, "default/one-gpu", "default/four-gpus", gpuNode: "node-a");

        await PatchNodeStatusAsync(cluster, new JsonObject { ["availableTFlops"] = "500" });
        await PatchNodeStatusAsync(cluster, new JsonObject { ["totalGPUs"] = 8 });

        await triggers.WaitForMarkAsync("node totalGPUs 8");
        Assert.Equal(["default/four-gpus"], triggers.Keys);
    }

    private static Task PatchNodeStatusAsync(OperatorCluster cluster, JsonObject status) =>
        cluster.Direct.MergePatchAsync<JsonNode>(ResourceDescriptor.GpuNodes.ObjectPath(null, "node-a") + "/status", new JsonObject { ["status"] = status }, CancellationToken.None);

    /// <summary>The workload, pool, profile, GPUNode and pod caches feeding <see cref="WorkloadTriggers.Keys"/>, logging keys.</summary>
    private sealed class Triggers : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _keys = new();
        private readonly List<Task> _runs = [];
        private readonly Informer<GpuPool> _pools;
        private readonly Informer<WorkloadProfile> _profiles;
        private readonly Informer<GpuNode> _nodes;
        private readonly WorkloadCaches _caches;
        private readonly ConcurrentDictionary<string, bool> _marks = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _marked = new(0);
        private readonly List<IDisposable> _subscriptions = [];

        private Triggers(OperatorCluster cluster)
        {
            var options = OperatorCluster.FastOptions().Informers;
            _pools = new Informer<GpuPool>(cluster.Direct, ResourceDescriptor.GpuPools, options, TimeProvider.System, new Random(11));
            _profiles = new Informer<WorkloadProfile>(cluster.Direct, ResourceDescriptor.WorkloadProfiles, options, TimeProvider.System, new Random(12));
            _nodes = new Informer<GpuNode>(cluster.Direct, ResourceDescriptor.GpuNodes, options, TimeProvider.System, new Random(13));
            _caches = new WorkloadCaches(cluster.Workloads, _pools, cluster.Pods, _profiles) { GpuNodes = _nodes };
        }

        public IReadOnlyList<string> Keys => [.. _keys];

        /// <summary>Starts the caches and subscribes once they hold the workloads (and the node, when named): earlier keys are not logged.</summary>
        public static async Task<Triggers> StartAsync(OperatorCluster cluster, string workload, string otherWorkload, string? gpuNode = null)
        {
            var triggers = new Triggers(cluster);
            foreach (var informer in new IInformer[] { triggers._pools, triggers._profiles, triggers._nodes })
            {
                triggers._runs.Add(Task.Run(() => informer.RunAsync(triggers._stop.Token)));
                await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);
            }

            await OperatorCluster.WaitUntilAsync(cluster.Workloads, cache => cache.Get(OperatorCluster.Namespace, workload.Split('/')[1]) is not null
                && cache.Get(OperatorCluster.Namespace, otherWorkload.Split('/')[1]) is not null, "both workloads are cached");
            Assert.True(gpuNode is null || triggers._nodes.Get(null, gpuNode) is not null, "the GPUNode is cached (it was created before the cache listed)");
            triggers._subscriptions.Add(WorkloadTriggers.Keys(triggers._caches)
                .Where(key => key == workload || key == otherWorkload)
                .Subscribe(triggers._keys.Enqueue));

            // Subscribed after the triggers, so a change is marked only once the triggers have handled it.
            triggers._subscriptions.Add(triggers._pools.Changes.Subscribe(change => triggers.Mark($"pool generation {change.Current.Metadata.Generation}")));
            triggers._subscriptions.Add(triggers._nodes.Changes.Subscribe(change => triggers.Mark($"node totalGPUs {change.Current.Status?.TotalGpus}")));
            return triggers;
        }

        /// <summary>Waits until a change described as <paramref name="mark"/> went through the triggers.</summary>
        public async Task WaitForMarkAsync(string mark)
        {
            while (!_marks.ContainsKey(mark))
            {
                Assert.True(await _marked.WaitAsync(OperatorCluster.Wait), $"no change \"{mark}\" arrived; seen: {string.Join(", ", _marks.Keys)}");
            }
        }

        private void Mark(string mark)
        {
            _marks[mark] = true;
            _marked.Release();
        }

        public async ValueTask DisposeAsync()
        {
            _subscriptions.ForEach(subscription => subscription.Dispose());
            await _stop.CancelAsync();
            await Task.WhenAll(_runs).WaitAsync(OperatorCluster.Wait);
            _pools.Dispose();
            _profiles.Dispose();
            _nodes.Dispose();
            _marked.Dispose();
            _stop.Dispose();
        }
    }
}
