using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Conventions;
using TensorFusion.Pipelines.Connections;
using TensorFusion.Pipelines.Workloads;

namespace TensorFusion.Pipelines.Tests.Connections;

public sealed class ConnectionPlannerTests
{
    [Fact]
    public void Plan_NewClients_CreatesOneConnectionEachNamedAfterTheClient()
    {
        var plan = ConnectionPlanner.Plan([Client("c1"), Client("c2")], [Worker("w0")], [], fixedReplicas: true);

        Assert.Equal(["c1", "c2"], plan.Create);
        Assert.Empty(plan.Assign);
    }

    [Fact]
    public void Plan_FixedReplicas_SpreadsByLeastConnectionsWithinOne()
    {
        // 5 connections over 2 running workers: w0 gets c1, c3, c5 and w1 gets c2, c4 (3 vs 2, skew 1).
        var connections = new[] { "c1", "c2", "c3", "c4", "c5" }.Select(name => Connection(name)).ToArray();

        var plan = ConnectionPlanner.Plan(connections.Select(c => Client(c.Metadata.Name)).ToArray(), [Worker("w0"), Worker("w1")], connections, fixedReplicas: true);

        var perWorker = plan.Assign.GroupBy(a => a.Worker).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(3, perWorker["w0"]);
        Assert.Equal(2, perWorker["w1"]);
        Assert.All(plan.Assign, a => Assert.Equal(ConnectionPhase.Running, a.Phase));
        Assert.All(plan.Assign, a => Assert.Equal($"native+10.0.0.1+42000+{a.Worker}-7", a.Url));
    }

    [Fact]
    public void Plan_AssignedWorkerStillRuns_KeepsItAndWritesNothing()
    {
        var connection = Connection("c1", worker: "w1", url: "native+10.0.0.1+42000+w1-7");

        var plan = ConnectionPlanner.Plan([Client("c1")], [Worker("w0"), Worker("w1")], [connection], fixedReplicas: true);

        Assert.Empty(plan.Assign);
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Plan_AssignedWorkerGone_ReselectsARunningOne()
    {
        var connection = Connection("c1", worker: "w-gone", url: "native+10.0.0.9+42000+w-gone-3");

        var plan = ConnectionPlanner.Plan([Client("c1")], [Worker("w0")], [connection], fixedReplicas: true);

        var assignment = Assert.Single(plan.Assign);
        Assert.Equal(("w0", ConnectionPhase.Running), (assignment.Worker, assignment.Phase));
    }

    [Fact]
    public void Plan_AssignedWorkerGoneAndNoneRunning_FailsWithoutUrl()
    {
        var connection = Connection("c1", worker: "w0", url: "native+10.0.0.1+42000+w0-7");

        var plan = ConnectionPlanner.Plan([Client("c1")], [Worker("w0", ready: false)], [connection], fixedReplicas: true);

        var assignment = Assert.Single(plan.Assign);
        Assert.Equal(ConnectionPhase.Failed, assignment.Phase);
        Assert.Null(assignment.Url);
    }

    [Fact]
    public void Plan_DynamicReplicas_UsesTheWorkerCreatedForTheClient()
    {
        var mine = Worker("dyn-c2", client: "c2");

        var plan = ConnectionPlanner.Plan([Client("c2")], [Worker("dyn-c1", client: "c1"), mine], [Connection("c2")], fixedReplicas: false);

        Assert.Equal("dyn-c2", Assert.Single(plan.Assign).Worker);
    }

    [Fact]
    public void Plan_ClientGone_DeletesItsConnection()
    {
        var plan = ConnectionPlanner.Plan([], [Worker("w0")], [Connection("c1", worker: "w0")], fixedReplicas: true);

        Assert.Equal(["c1"], plan.Delete);
    }

    private static V1Pod Client(string name) => new() { Metadata = new V1ObjectMeta { Name = name, Uid = name + "-uid" } };

    private static V1Pod Worker(string name, bool ready = true, string? client = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            ResourceVersion = "7",
            Labels = new Dictionary<string, string>
            {
                [Labels.Component] = ComponentValues.Worker,
                [WorkerPods.ClientPodLabel] = client ?? string.Empty,
            },
        },
        Status = new V1PodStatus
        {
            Phase = ready ? "Running" : "Pending",
            PodIP = "10.0.0.1",
            Conditions = ready ? [new V1PodCondition { Type = "Ready", Status = "True" }] : [],
        },
    };

    private static TensorFusionConnection Connection(string name, string? worker = null, string? url = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new TensorFusionConnectionSpec { ClientPod = name, WorkloadName = "w" },
        Status = worker is null ? null : new TensorFusionConnectionStatus { WorkerName = worker, ConnectionUrl = url, Phase = ConnectionPhase.Running },
    };
}
