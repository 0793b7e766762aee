namespace TensorFusion.LocalCluster.Tests.Kubectl;

[Trait("Category", "Integration")]
public sealed class KubectlPodTests
{
    private const string PodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web}
        spec:
          nodeName: sim-1
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: nginx
            ports: [{containerPort: 80}]
            env: [{name: A, value: "1"}]
        """;

    [Fact]
    public async Task ApplyWaitDescribe_PodOnSimulatedNode_RunsAndIsDescribed()
    {
        await using var cluster = await TestCluster.StartAsync(new LocalApiServerOptions { PodStartDelay = TimeSpan.FromMilliseconds(100) });
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var kubectl = new Kubectl(cluster);

        var applied = await kubectl.RunAsync("apply -f -", PodYaml);
        var waited = await kubectl.RunAsync("wait --for=condition=Ready pod/web --timeout=30s");
        var wide = await kubectl.RunAsync("get pods -o wide");
        var described = await kubectl.RunAsync("describe pod web");
        var again = await kubectl.RunAsync("apply -f -", PodYaml);

        Assert.Contains("pod/web created", applied.Output, StringComparison.Ordinal);
        Assert.Contains("pod/web condition met", waited.Output, StringComparison.Ordinal);
        Assert.Matches(@"web\s+1/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+sim-1", wide.Output);
        Assert.Matches(@"Status:\s+Running", described.Output);
        Assert.Matches(@"Port:\s+80/TCP", described.Output);
        Assert.Contains("pod/web unchanged", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNodes_SimulatedNode_ShowsReadyAndVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Server.AddSimulatedNodeAsync("sim-1");
        var kubectl = new Kubectl(cluster);

        var waited = await kubectl.RunAsync("wait --for=condition=Ready node/sim-1 --timeout=30s");
        var nodes = await kubectl.RunAsync("get nodes");

        Assert.Contains("node/sim-1 condition met", waited.Output, StringComparison.Ordinal);
        Assert.Matches(@"sim-1\s+Ready\s+<none>\s+\S+\s+v1\.34\.0-simulated", nodes.Output);
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_WaitsUntilFinalizerIsRemoved()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n");

        var deletion = kubectl.RunAsync("delete configmap held --timeout=30s");
        await cluster.WaitForAsync("configmaps", item => item.Name == "held" && item.Value["metadata"]?["deletionTimestamp"] is not null);
        Assert.False(deletion.IsCompleted);
        var removed = await kubectl.RunAsync("patch configmap held --type json -p '[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]'");
        var deleted = await deletion;

        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Contains("configmap \"held\" deleted", deleted.Output, StringComparison.Ordinal);
        Assert.Null(cluster.Server.Store.Get("configmaps", "default", "held"));
    }

    [Fact]
    public async Task GetWatch_NewObject_PrintsHeaderThenRows()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n");
        using var watch = kubectl.Start("get configmaps -w");
        try
        {
            var header = await ReadLineAsync(watch);
            var first = await ReadLineAsync(watch);
            await kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n");
            var second = await ReadLineAsync(watch);

            Assert.Matches(@"NAME\s+AGE", header);
            Assert.StartsWith("first", first, StringComparison.Ordinal);
            Assert.StartsWith("second", second, StringComparison.Ordinal);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> ReadLineAsync(System.Diagnostics.Process process) =>
        await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? string.Empty;
}
