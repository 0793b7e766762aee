using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TensorFusion.LocalCluster.Controllers;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Tests.Simulation;

public sealed class SimulatedKubeletTests
{
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PodOnSimulatedNode_AfterStartDelay_RunsReadyWithPodIp()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { TimeProvider = clock, PodStartDelay = StartDelay });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var creating = await cluster.WaitForAsync("pods", pod => Reason(pod) == "ContainerCreating");
        // 5 s start delay: nothing happens at 4 s, Running at 5 s.
        clock.Advance(TimeSpan.FromSeconds(4));
        var stillCreating = cluster.Server.Store.Get("pods", "default", "p")!;
        clock.Advance(TimeSpan.FromSeconds(1));
        var running = await cluster.WaitForAsync("pods", pod => Phase(pod) == "Running");

        Assert.Equal("Pending", Phase(creating));
        Assert.Equal("ContainerCreating", Reason(stillCreating));
        Assert.StartsWith("10.244.", running.Value["status"]!["podIP"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains(running.Value["status"]!["conditions"]!.AsArray(), c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True");
    }

    [Theory]
    [InlineData("fail", "Failed", "Error")]
    [InlineData("crashloop", "Running", "CrashLoopBackOff")]
    public async Task PodWithBehaviourAnnotation_FailsOrCrashLoops(string behaviour, string phase, string reason)
    {
        var clock = new FakeTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { TimeProvider = clock, PodStartDelay = StartDelay });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var pod = Pod("p");
        pod.Metadata.Annotations = new Dictionary<string, string> { [SimulatedKubelet.BehaviourAnnotation] = behaviour };

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await cluster.WaitForAsync("pods", item => Reason(item) == "ContainerCreating");
        clock.Advance(StartDelay);
        var settled = await cluster.WaitForAsync("pods", item => Phase(item) == phase && Reason(item) == reason);

        Assert.Equal(reason, Reason(settled));
    }

    [Fact]
    public async Task DeletePod_OnSimulatedNode_WaitsForGracePeriod()
    {
        var clock = new FakeTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { TimeProvider = clock, PodStartDelay = TimeSpan.Zero });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        await cluster.WaitForAsync("pods", item => Phase(item) == "Running");

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p", "default", gracePeriodSeconds: 30);
        var terminating = await cluster.WaitForAsync("pods", item => item.Value["metadata"]?["deletionTimestamp"] is not null);
        clock.Advance(TimeSpan.FromSeconds(29));
        var beforeGrace = cluster.Server.Store.Get("pods", "default", "p");
        clock.Advance(TimeSpan.FromSeconds(1));
        await cluster.WaitForDeletionAsync("pods", "default", "p");

        Assert.Equal(30, terminating.Value["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.NotNull(beforeGrace);
        Assert.Null(cluster.Server.Store.Get("pods", "default", "p"));
    }

    [Fact]
    public async Task SimulatedNode_ReportsReadyAndRenewsLease()
    {
        var clock = new FakeTimeProvider();
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { TimeProvider = clock, NodeHeartbeatInterval = TimeSpan.FromSeconds(10) });

        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var node = await cluster.WaitForAsync("nodes", item => item.Value["status"]?["nodeInfo"] is not null);
        var lease = await cluster.WaitForAsync("leases.coordination.k8s.io", item => item.Name == "sim-1");
        clock.Advance(TimeSpan.FromSeconds(10));
        var renewed = await cluster.WaitForAsync("leases.coordination.k8s.io", item => item.Name == "sim-1" && item.ResourceVersion > lease.ResourceVersion);

        Assert.Equal("kube-node-lease", lease.Namespace);
        Assert.Contains(node.Value["status"]!["conditions"]!.AsArray(), c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True");
        Assert.NotEqual(lease.Value["spec"]!["renewTime"]!.ToString(), renewed.Value["spec"]!["renewTime"]!.ToString());
    }

    [Fact]
    public async Task RunningPodAndNode_CarryEveryFieldARealKubeletAlwaysWrites()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.Zero });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        await cluster.WaitForAsync("pods", item => Phase(item) == "Running");

        // Read back through KubernetesClient's typed models, as a strict client would.
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        var node = await cluster.Client.CoreV1.ReadNodeAsync("sim-1");

        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.StartsWith("busybox@sha256:", container.ImageID, StringComparison.Ordinal);
        Assert.StartsWith("containerd://", container.ContainerID, StringComparison.Ordinal);
        Assert.Equal(("main", "busybox", 0, true), (container.Name, container.Image, container.RestartCount, container.Ready));
        var info = node.Status.NodeInfo;
        Assert.All(
            new[] { info.MachineID, info.SystemUUID, info.BootID, info.KernelVersion, info.OsImage, info.KubeProxyVersion, info.ContainerRuntimeVersion, info.KubeletVersion, info.OperatingSystem, info.Architecture },
            value => Assert.False(string.IsNullOrEmpty(value)));
        Assert.True(Guid.TryParse(info.SystemUUID, out _), info.SystemUUID);
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { NodeName = "sim-1", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    private static string? Phase(StoredObject pod) => pod.Value["status"]?["phase"]?.ToString();

    private static string? Reason(StoredObject pod) =>
        pod.Value["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.ToString()
        ?? pod.Value["status"]?["containerStatuses"]?[0]?["state"]?["terminated"]?["reason"]?.ToString();
}
