using System.Text.Json.Nodes;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.IntegrationTests.Operator;
using TensorFusion.Pipelines.Kube;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>Remote mode through the operator: a connection per client pod, least-connections assignment, fail-over.</summary>
[Collection("Operator")]
[Trait("Category", "Integration")]
public sealed class RemoteConnectionTests
{
    [Fact]
    public async Task FixedWorkload_ThreeClients_ConnectionsSpreadThenFailOverWhenAWorkerGoes()
    {
        await using var engine = await EngineCluster.StartAsync();
        await engine.AddGpuNodeAsync(OperatorCluster.NodeName);
        await using var op = engine.StartOperator(out var started);
        await started.WaitAsync(OperatorCluster.Wait);
        await engine.CreateWorkloadAsync("remote", replicas: 2, tflops: "10", vram: "1Gi",
            extraSpec: new JsonObject { ["workerPodTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["terminationGracePeriodSeconds"] = 0 } } });

        // Selection happens when a connection is assigned: with both workers running, least-connections spreads 2 + 1.
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Pods, _ => engine.RunningWorkers("remote").Count == 2, "both workers run");
        foreach (var client in new[] { "client-a", "client-b", "client-c" })
        {
            await CreateClientPodAsync(engine, client, "remote");
        }

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Connections, informer => AllServedByRunningWorkers(engine, informer.List(), 3),
            "3 connections, each Running on a running worker");
        var perWorker = engine.Cluster.Connections.List().GroupBy(c => c.Status!.WorkerName).Select(g => g.Count()).Order().ToArray();
        Assert.Equal([1, 2], perWorker);
        Assert.All(engine.Cluster.Connections.List(), connection =>
        {
            Assert.Equal("Pod", Assert.Single(connection.Metadata.OwnerReferences).Kind);
            Assert.Equal(connection.Status!.WorkerName, connection.Metadata.Labels[Labels.WorkerName]);
        });

        var busiest = engine.Cluster.Connections.List().GroupBy(c => c.Status!.WorkerName!).OrderByDescending(g => g.Count()).First();
        var before = busiest.ToDictionary(c => c.Metadata.Name, c => c.Status!.ConnectionUrl);
        await engine.Cluster.Direct.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(OperatorCluster.Namespace, busiest.Key), null, CancellationToken.None);

        await OperatorCluster.WaitUntilAsync(engine.Cluster.Connections, informer => AllServedByRunningWorkers(engine, informer.List(), 3)
                && before.All(pair => informer.Get(OperatorCluster.Namespace, pair.Key)?.Status?.ConnectionUrl != pair.Value),
            "the deleted worker's connections point at a running worker again");

        await engine.Cluster.Direct.DeleteAsync(ResourceDescriptor.Pods.ObjectPath(OperatorCluster.Namespace, "client-a"), null, CancellationToken.None);
        await OperatorCluster.WaitUntilAsync(engine.Cluster.Connections, informer => informer.Get(OperatorCluster.Namespace, "client-a") is null,
            "the connection goes with its client pod");
    }

    private static bool AllServedByRunningWorkers(EngineCluster engine, IReadOnlyList<TensorFusionConnection> connections, int expected)
    {
        var running = engine.RunningWorkers("remote").ToDictionary(pod => pod.Metadata.Name, pod => pod);
        return connections.Count == expected && connections.All(connection =>
            connection.Status is { Phase: ConnectionPhase.Running, WorkerName: { } worker, ConnectionUrl: { } url }
            && running.TryGetValue(worker, out var pod)
            && url == $"native+{pod.Status.PodIP}+42000+{worker}-{pod.Metadata.ResourceVersion}");
    }

    private static Task<JsonNode> CreateClientPodAsync(EngineCluster engine, string name, string workload) =>
        engine.Cluster.Direct.CreateAsync<JsonNode>(ResourceDescriptor.Pods.CollectionPath(OperatorCluster.Namespace), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [Labels.Workload] = workload } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "python:3.12-slim" }) },
        }, CancellationToken.None);
}
