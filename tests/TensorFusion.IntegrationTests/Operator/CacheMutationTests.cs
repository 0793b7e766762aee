using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Api.Workloads;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// reliability-security.md §6 row 16: code that changes an informer's cached object in place is caught, named, and
/// stops the informer (and the operator) instead of serving a state the API server never stored.
/// </summary>
[Trait("Category", "Integration")]
[Collection("Operator")]
public sealed class CacheMutationTests
{
    private static readonly ResourceDescriptor ConfigMaps = OperatorCluster.ConfigMaps;

    [Fact]
    public async Task Get_CachedObjectChangedInPlace_ThrowsAndInformerStopsNamingKindKeyAndField()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await CreateConfigMapAsync(cluster, "shared");
        using var stop = new CancellationTokenSource();
        using var informer = new Informer<V1ConfigMap>(cluster.Direct, ConfigMaps, OperatorCluster.FastOptions().Informers, TimeProvider.System, new Random(4));
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);

        informer.Get(OperatorCluster.Namespace, "shared")!.Data["v"] = "changed by a reader";

        var read = Assert.Throws<CacheMutationException>(() => informer.Get(OperatorCluster.Namespace, "shared"));
        Assert.Equal("data.v: \"1\" → \"changed by a reader\"", read.Difference);
        var stopped = await Assert.ThrowsAsync<CacheMutationException>(() => run.WaitAsync(OperatorCluster.Wait));
        Assert.Equal("ConfigMap default/shared was modified in the informer cache (first difference at data.v: \"1\" → \"changed by a reader\"); code must copy a cached object before changing it", stopped.Message);
    }

    [Fact]
    public async Task Watch_NewVersionArrivesForMutatedObject_InformerStopsWithTheMutation()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        await CreateConfigMapAsync(cluster, "watched");
        using var informer = new Informer<V1ConfigMap>(cluster.Direct, ConfigMaps, OperatorCluster.FastOptions().Informers, TimeProvider.System, new Random(5));
        var run = Task.Run(() => informer.RunAsync(CancellationToken.None));
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);
        // Changed through List (a read that hands out the shared objects), detected when the watch replaces it.
        informer.List().Single(map => map.Metadata.Name == "watched").Metadata.Labels["team"] = "mutated";

        await cluster.Direct.MergePatchAsync<JsonNode>(ConfigMaps.ObjectPath(OperatorCluster.Namespace, "watched"),
            new JsonObject { ["data"] = new JsonObject { ["v"] = "2" } }, CancellationToken.None);

        var stopped = await Assert.ThrowsAsync<CacheMutationException>(() => run.WaitAsync(OperatorCluster.Wait));
        Assert.Equal("default/watched", stopped.Key);
        Assert.Equal("metadata.labels.team: \"a\" → \"mutated\"", stopped.Difference);
    }

    [Fact]
    public async Task Operator_CachedWorkloadChangedInPlace_StopsWithTheMutation()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreatePoolAsync("pool");
        await cluster.CreateWorkloadAsync("w", "pool", replicas: 1);
        await using var op = cluster.StartOperator();
        await op.Operator.Leading.WaitAsync(OperatorCluster.Wait);
        await OperatorCluster.WaitUntilAsync(op.Operator.Caches.Workloads, informer => informer.Get(OperatorCluster.Namespace, "w") is not null, "the operator caches workload w");

        // Whoever reads next finds it. The operator's own reads race the test's read: if one of them found it first, the
        // informer has stopped and the test's read sees no cache, so the read only triggers detection and is not asserted
        // here (CacheMutationDetectorTests pin each read path); the operator's end is.
        op.Operator.Caches.Workloads.Get(OperatorCluster.Namespace, "w")!.Spec.Replicas = 5;
        var read = Record.Exception(() => op.Operator.Caches.Workloads.List());
        Assert.True(read is null or CacheMutationException, $"a read of a mutated cache failed otherwise: {read}");

        var stopped = await Assert.ThrowsAsync<CacheMutationException>(() => op.Run.WaitAsync(OperatorCluster.Wait));
        Assert.Equal(TensorFusionWorkload.KubeKind, stopped.Kind);
        Assert.Equal("default/w", stopped.Key);
        Assert.Equal("spec.replicas: 1 → 5", stopped.Difference);
        // The fixture makes every test that ends with a mutated cache fail, even one that never awaited the operator.
        await Assert.ThrowsAsync<CacheMutationException>(() => op.DisposeAsync().AsTask());
    }

    private static Task<JsonNode> CreateConfigMapAsync(OperatorCluster cluster, string name) =>
        cluster.Direct.CreateAsync<JsonNode>(ConfigMaps.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["team"] = "a" } },
            ["data"] = new JsonObject { ["v"] = "1" },
        }, CancellationToken.None);
}
