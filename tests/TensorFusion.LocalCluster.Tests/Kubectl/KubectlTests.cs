namespace TensorFusion.LocalCluster.Tests.Kubectl;

[Trait("Category", "Integration")]
public sealed class KubectlTests
{
    private const string WidgetYaml = """
        apiVersion: example.tensor-fusion.ai/v1
        kind: Widget
        metadata:
          name: blue
        spec:
          size: small
          replicas: 2
        """;

    [Fact]
    public async Task ApplyGet_CustomResource_PrintsPrinterColumns()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var crd = await kubectl.RunAsync($"apply -f {TestCluster.TestData("widgets-crd.yaml")}");
        var applied = await kubectl.RunAsync("apply -f -", WidgetYaml);
        var get = await kubectl.RunAsync("get wdg");

        Assert.True(crd.ExitCode == 0, crd.Error);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.tensor-fusion.ai created", crd.Output, StringComparison.Ordinal);
        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Contains("widget.example.tensor-fusion.ai/blue created", applied.Output, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Matches(@"NAME\s+REPLICAS\s+PHASE\s+AGE", get.Output);
        Assert.Matches(@"blue\s+2\s+", get.Output);
    }

    [Fact]
    public async Task ApplyTwice_ChangedSpec_ConfiguresAndBumpsGeneration()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync($"apply -f {TestCluster.TestData("widgets-crd.yaml")}");
        await kubectl.RunAsync("apply -f -", WidgetYaml);

        var second = await kubectl.RunAsync("apply -f -", WidgetYaml.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal));
        var generation = await kubectl.RunAsync("get widget blue -o jsonpath={.metadata.generation}/{.spec.replicas}");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("widget.example.tensor-fusion.ai/blue configured", second.Output, StringComparison.Ordinal);
        Assert.Equal("2/5", generation.Output);
    }

    [Fact]
    public async Task Apply_InvalidWidget_FailsWithFieldPath()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync($"apply -f {TestCluster.TestData("widgets-crd.yaml")}");

        var result = await kubectl.RunAsync("apply -f -", WidgetYaml.Replace("size: small", "size: enormous", StringComparison.Ordinal));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.size", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_CustomField_PrintsSchemaDescription()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync($"apply -f {TestCluster.TestData("widgets-crd.yaml")}");

        // A second kubectl cache: the first one cached discovery from before the CRD existed (as with a real server).
        var result = await new Kubectl(cluster, "fresh-cache").RunAsync("explain wdg.spec.autoScalingConfig");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("AutoScalingConfig tunes how the widget scales with load.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Enabled turns automatic scaling on.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchAndDelete_ConfigMap_ReportsEachStep()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n");

        var patched = await kubectl.RunAsync("patch configmap settings --type merge -p '{\"data\":{\"b\":\"2\"}}'");
        var value = await kubectl.RunAsync("get cm settings -o jsonpath={.data.b}");
        var deleted = await kubectl.RunAsync("delete configmap settings");
        var missing = await kubectl.RunAsync("get configmap settings");

        Assert.True(patched.ExitCode == 0, patched.Error);
        Assert.Contains("configmap/settings patched", patched.Output, StringComparison.Ordinal);
        Assert.Equal("2", value.Output);
        Assert.Contains("configmap \"settings\" deleted", deleted.Output, StringComparison.Ordinal);
        Assert.Contains("NotFound", missing.Error, StringComparison.Ordinal);
    }
}
