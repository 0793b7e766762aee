using k8s.Models;
using TensorFusion.Api.Connections;
using TensorFusion.Api.Pools;
using TensorFusion.Api.Workloads;
using TensorFusion.Host.Explain;

namespace TensorFusion.Host.Tests.Explain;

public sealed class WorkloadExplainerTests
{
    [Fact]
    public void Explain_UnplacedWorker_QuotesTheAllocatorsReason()
    {
        var worker = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "demo-worker-0" },
            Spec = new V1PodSpec(),
            Status = new V1PodStatus
            {
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/2 nodes fit: 2 insufficient VRAM" }],
            },
        };
        var facts = new WorkloadFacts(Workload(replicas: 1), "default-pool", new GpuPool(), [worker], null, []);

        var lines = WorkloadExplainer.Explain(facts);

        Assert.Contains(lines, line => line.Contains("demo-worker-0 is not placed (Unschedulable): 0/2 nodes fit: 2 insufficient VRAM", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_MissingPool_SaysHowToFixIt()
    {
        var facts = new WorkloadFacts(Workload(replicas: 2), "gone", null, [], null, []);

        var lines = WorkloadExplainer.Explain(facts);

        Assert.StartsWith("Workload default/demo is Pending: 0/0 workers ready (wants 2 replicas; pool gone, QoS medium (default)).", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains("pool gone does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_RunningWithReadyWorkers_SaysNothingIsWrong()
    {
        var workload = Workload(replicas: 1);
        workload.Status = new TensorFusionWorkloadStatus { Phase = WorkloadPhase.Running, WorkerCount = 1, ReadyWorkers = 1 };
        var ready = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "demo-worker-0" },
            Spec = new V1PodSpec { NodeName = "tf-node-1" },
            Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        };

        var lines = WorkloadExplainer.Explain(new WorkloadFacts(workload, "default-pool", new GpuPool(), [ready], null, []));

        Assert.Equal(2, lines.Count);
        Assert.Contains("nothing is wrong", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_EventOfEarlierWorkloadWithSameName_IsNotShown()
    {
        // "canary" was deleted and created again: only the event naming the new UID concerns it.
        var workload = Workload(replicas: 1);
        workload.Metadata.Name = "canary";
        workload.Metadata.Uid = "uid-new";
        var earlier = WarningAbout("canary", "uid-old", "PoolNotFound", "pool gone does not exist");
        var current = WarningAbout("canary", "uid-new", "InvalidSpec", "spec.gpuCount: 0 is not between 1 and 128");

        var lines = WorkloadExplainer.Explain(new WorkloadFacts(workload, "default-pool", new GpuPool(), [], null, [earlier, current]));

        Assert.Contains(lines, line => line.Contains("event InvalidSpec", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("event PoolNotFound", StringComparison.Ordinal));
    }

    private static Corev1Event WarningAbout(string name, string uid, string reason, string message) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{name}.{uid}" },
        InvolvedObject = new V1ObjectReference { Kind = TensorFusionWorkload.KubeKind, Name = name, Uid = uid },
        Type = "Warning",
        Reason = reason,
        Message = message,
        LastTimestamp = DateTime.UnixEpoch,
    };

    [Fact]
    public void Explain_ConnectionsAndGang_ListsWhoServesWhomAndWhyTheGangWaits()
    {
        var workload = Workload(replicas: 2);
        workload.Status = new TensorFusionWorkloadStatus
        {
            Gang = new GangSchedulingStatus
            {
                Phase = GangSchedulingPhase.Waiting, GroupKey = "default/demo", Reason = "GangWaitingForMembers",
                Message = "gang default/demo waits for members: 1 of 2 required are pending or placed", DesiredMembers = 2, ScheduledMembers = 0,
            },
        };
        var connections = new[]
        {
            new TensorFusionConnection
            {
                Metadata = new V1ObjectMeta { Name = "client-a" },
                Spec = new TensorFusionConnectionSpec { ClientPod = "client-a", WorkloadName = "demo" },
                Status = new TensorFusionConnectionStatus { Phase = ConnectionPhase.Running, WorkerName = "demo-w-0", ConnectionUrl = "native+10.0.0.1+42000+demo-w-0-7" },
            },
            new TensorFusionConnection { Metadata = new V1ObjectMeta { Name = "client-b" }, Spec = new TensorFusionConnectionSpec { ClientPod = "client-b" } },
        };
        var facts = new WorkloadFacts(workload, "default-pool", new GpuPool(), [], null, []) { Connections = connections };

        var lines = WorkloadExplainer.Explain(facts);

        Assert.Contains("  gang default/demo is Waiting (GangWaitingForMembers): gang default/demo waits for members: 1 of 2 required are pending or placed [0 placed, 0 ready of 2]", lines);
        Assert.Contains("  connection client-a: client client-a → worker demo-w-0 (native+10.0.0.1+42000+demo-w-0-7)", lines);
        Assert.Contains("  connection client-b: client client-b has no running worker (Pending).", lines);
    }

    [Theory]
    [InlineData("10", "10", null, "QoS high (default)")]                    // requests = limits, TFLOPs and VRAM: guaranteed
    [InlineData("10", "20", null, "QoS medium (default)")]
    [InlineData("10", "20", Api.Workloads.QosLevel.Low, "QoS low (default)")] // the pool's qosConfig.defaultQoS
    public void Explain_NoQosNamed_ShowsTheQosTheAllocatorApplies(string tflopsRequest, string tflopsLimit, Api.Workloads.QosLevel? poolDefault, string expected)
    {
        var workload = Workload(replicas: 1);
        workload.Spec.Resources = new Api.Resources.GpuResourceRequirements
        {
            Requests = new Api.Resources.GpuResourceAmount { Tflops = new k8s.Models.ResourceQuantity(tflopsRequest), Vram = new k8s.Models.ResourceQuantity("4Gi") },
            Limits = new Api.Resources.GpuResourceAmount { Tflops = new k8s.Models.ResourceQuantity(tflopsLimit), Vram = new k8s.Models.ResourceQuantity("4Gi") },
        };
        var pool = new GpuPool { Spec = new Api.Pools.GpuPoolSpec { QosConfig = poolDefault is null ? null : new Api.Pools.QosConfig { DefaultQos = poolDefault } } };

        var lines = WorkloadExplainer.Explain(new WorkloadFacts(workload, "default-pool", pool, [], null, []));

        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    private static TensorFusionWorkload Workload(int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = "demo", NamespaceProperty = "default" },
        Spec = new WorkloadProfileSpec { Replicas = replicas },
    };
}
