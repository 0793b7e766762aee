using System.Text.Json.Nodes;
using k8s.Models;
using TensorFusion.Pipelines.Informers;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>What the informer keeps of an object: everything the controllers read, not the managedFields.</summary>
[Trait("Category", "Integration")]
[Collection("Operator")]
public sealed class InformerCacheTests
{
    private static readonly ResourceDescriptor ConfigMaps = OperatorCluster.ConfigMaps;

    [Fact]
    public async Task Cache_ServerObjectHasManagedFields_CachedCopyHasNoneAndKeepsTheRest()
    {
        await using var cluster = await OperatorCluster.StartAsync(bindWorkers: false);
        var path = ConfigMaps.CollectionPath(OperatorCluster.Namespace) + "/owned";
        await cluster.Direct.CreateAsync<JsonNode>(ConfigMaps.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "owned",
                ["labels"] = new JsonObject { ["team"] = "a" },
                ["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:v":{}}}}]"""),
            },
            ["data"] = new JsonObject { ["v"] = "1" },
        }, CancellationToken.None);
        var stored = await cluster.Direct.GetAsync<V1ConfigMap>(path, CancellationToken.None);
        Assert.NotEmpty(stored.Metadata.ManagedFields);

        using var stop = new CancellationTokenSource();
        using var informer = new Informer<V1ConfigMap>(cluster.Direct, ConfigMaps, OperatorCluster.FastOptions().Informers, TimeProvider.System, new Random(4));
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(OperatorCluster.Wait);

        var cached = informer.Get(OperatorCluster.Namespace, "owned");
        Assert.NotNull(cached);
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Equal("a", cached.Metadata.Labels["team"]);
        Assert.Equal("1", cached.Data["v"]);
        await stop.CancelAsync();
        await run.WaitAsync(OperatorCluster.Wait);
    }
}
