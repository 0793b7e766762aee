using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TensorFusion.LocalCluster.Controllers.Dra;
using TensorFusion.LocalCluster.Storage;
using TensorFusion.LocalCluster.Tests.Api;

namespace TensorFusion.LocalCluster.Tests.Simulation;

/// <summary>The simulated kubelet's DRA path against a fake plugin on Unix sockets: prepare, CDI, record, unprepare.</summary>
[Trait("Category", "Integration")]
public sealed class SimulatedKubeletDraTests
{
    private const string WorkerSpec = """
        {"cdiVersion":"0.6.0","kind":"tensor-fusion.ai/worker","devices":[{"name":"default_p","containerEdits":{
          "env":["TF_SHIM_STATE=/run/tensor-fusion/region"],
          "mounts":[{"hostPath":"/var/lib/tf/limits/default_p.region","containerPath":"/run/tensor-fusion/region","options":["rw","bind"]}]}}]}
        """;

    private const string NvidiaSpec = """
        {"cdiVersion":"0.5.0","kind":"nvidia.com/gpu",
         "containerEdits":{"deviceNodes":[{"path":"/dev/nvidiactl"}]},
         "devices":[{"name":"GPU-0A1B","containerEdits":{"deviceNodes":[{"path":"/dev/nvidia0"}]}},
                    {"name":"GPU-FFFF","containerEdits":{"deviceNodes":[{"path":"/dev/nvidia1"}]}}]}
        """;

    private static readonly string[] Devices = ["tensor-fusion.ai/worker=default_p", "nvidia.com/gpu=GPU-0A1B"];

    [Fact]
    public async Task PodWithClaim_AllocatedAfterItLands_PreparedAndRunsWithExactlyItsDevices_UnpreparedOnDelete()
    {
        await using var plugin = await FakeDraPlugin.StartAsync();
        plugin.CdiDevices = Devices;
        plugin.WriteSpec("tensor-fusion.ai-worker_default_p.json", WorkerSpec);
        plugin.WriteSpec("nvidia.json", NvidiaSpec);
        await using var cluster = await StartAsync(plugin);

        var pod = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var claim = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(DynamicResourceTests.Claim("p-gpu"), "default");
        claim.Status = DynamicResourceTests.Allocated("sim-1", "gpu-0a1b", "p", pod.Metadata.Uid);
        await cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(claim, "p-gpu", "default");
        var running = await cluster.WaitForAsync("pods", item => Phase(item) == "Running");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p", "default", gracePeriodSeconds: 0);
        var unprepared = await plugin.UnpreparedSignal.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var edits = Edits(running);
        Assert.Equal(Devices, edits["devices"]!.AsArray().Select(device => device!.GetValue<string>()));
        Assert.Equal(["/dev/nvidiactl", "/dev/nvidia0"], edits["deviceNodes"]!.AsArray().Select(node => node!["path"]!.GetValue<string>()));
        Assert.Equal("/run/tensor-fusion/region", edits["mounts"]![0]!["containerPath"]!.GetValue<string>());
        Assert.Equal("TF_SHIM_STATE=/run/tensor-fusion/region", Assert.Single(edits["env"]!.AsArray())!.GetValue<string>());
        Assert.Equal(claim.Metadata.Uid, edits["claims"]![0]!["uid"]!.GetValue<string>());
        Assert.Contains(plugin.Prepared, prepared => prepared.Uid == claim.Metadata.Uid && prepared.Name == "p-gpu");
        Assert.Equal(claim.Metadata.Uid, unprepared.Uid);
        Assert.True(await plugin.Registered.Task);
    }

    [Fact]
    public async Task PodWhoseClaimIsReservedForAnotherPod_StaysContainerCreatingWithEvent()
    {
        await using var plugin = await FakeDraPlugin.StartAsync();
        await using var cluster = await StartAsync(plugin);
        var claim = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(DynamicResourceTests.Claim("p-gpu"), "default");
        claim.Status = DynamicResourceTests.Allocated("sim-1", "gpu-0a1b", "other", "uid-of-another-pod");
        await cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(claim, "p-gpu", "default");

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var failed = await WaitForEventAsync(cluster, "FailedPrepareDynamicResources");

        var pod = await cluster.WaitForAsync("pods", item => WaitingMessage(item) is not null);

        Assert.Contains("ResourceClaim default/p-gpu is not reserved for pod p", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("Pending", "ContainerCreating"), (Phase(pod), Reason(pod)));
        Assert.Equal(failed["message"]!.GetValue<string>(), WaitingMessage(pod));
        Assert.Empty(plugin.Prepared);
    }

    [Theory]
    [InlineData(null, "unresolvable CDI device nvidia.com/gpu=GPU-0A1B")]
    [InlineData("worker default/p is not in the node's plan", "DRA driver gpu.tensor-fusion.ai failed to prepare claim default/p-gpu: worker default/p is not in the node's plan")]
    public async Task PodWhosePrepareFails_EventNamesTheCause(string? pluginError, string expected)
    {
        await using var plugin = await FakeDraPlugin.StartAsync();
        plugin.CdiDevices = Devices;
        plugin.PrepareError = pluginError;
        plugin.WriteSpec("tensor-fusion.ai-worker_default_p.json", WorkerSpec); // no NVIDIA spec on this node
        await using var cluster = await StartAsync(plugin);

        var pod = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var claim = await cluster.Client.ResourceV1.CreateNamespacedResourceClaimAsync(DynamicResourceTests.Claim("p-gpu"), "default");
        claim.Status = DynamicResourceTests.Allocated("sim-1", "gpu-0a1b", "p", pod.Metadata.Uid);
        await cluster.Client.ResourceV1.ReplaceNamespacedResourceClaimStatusAsync(claim, "p-gpu", "default");
        var failed = await WaitForEventAsync(cluster, "FailedPrepareDynamicResources", expected);

        Assert.Contains(expected, failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Pending", Phase(cluster.Server.Store.Get("pods", "default", "p")!));
    }

    private static async Task<TestCluster> StartAsync(FakeDraPlugin plugin)
    {
        var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.Zero });
        await cluster.Server.AddSimulatedNodeAsync("sim-1", kubelet: new SimulatedKubeletPaths(plugin.RegistryDirectory, [plugin.CdiDirectory]));
        return cluster;
    }

    private static async Task<JsonObject> WaitForEventAsync(TestCluster cluster, string reason, string? containing = null)
    {
        var stored = await cluster.WaitForAsync("events", item => item.Value["reason"]?.GetValue<string>() == reason
            && (containing is null || item.Value["message"]!.GetValue<string>().Contains(containing, StringComparison.Ordinal)));
        return stored.Value;
    }

    private static JsonObject Edits(StoredObject pod) =>
        JsonNode.Parse(pod.Value["metadata"]!["annotations"]![ClaimPreparer.ContainerEditsAnnotation]!.GetValue<string>())!.AsObject();

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = "sim-1",
            ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = name + "-gpu" }],
            Containers = [new V1Container { Name = "worker", Image = "worker", Resources = new V1ResourceRequirements { Claims = [new Corev1ResourceClaim { Name = "gpu" }] } }],
        },
    };

    private static string? Phase(StoredObject pod) => pod.Value["status"]?["phase"]?.GetValue<string>();

    private static string? WaitingMessage(StoredObject pod) =>
        pod.Value["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["message"]?.GetValue<string>();

    private static string? Reason(StoredObject pod) =>
        pod.Value["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>();
}
