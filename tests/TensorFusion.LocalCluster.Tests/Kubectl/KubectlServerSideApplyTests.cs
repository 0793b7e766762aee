namespace TensorFusion.LocalCluster.Tests.Kubectl;

[Trait("Category", "Integration")]
public sealed class KubectlServerSideApplyTests
{
    private const string ConfigMapYaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
          level: "1"
        """;

    [Fact]
    public async Task ApplyServerSide_CreateThenDropField_RemovesIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);

        var created = await kubectl.RunAsync("apply --server-side -f -", ConfigMapYaml);
        var updated = await kubectl.RunAsync("apply --server-side -f -", ConfigMapYaml.Replace("\n  level: \"1\"", string.Empty, StringComparison.Ordinal));
        var data = await kubectl.RunAsync("get configmap settings -o jsonpath={.data}");
        var manager = await kubectl.RunAsync("get configmap settings --show-managed-fields -o jsonpath={.metadata.managedFields[0].manager}/{.metadata.managedFields[0].operation}");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("configmap/settings serverside-applied", created.Output, StringComparison.Ordinal);
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Equal("""{"mode":"fast"}""", data.Output);
        Assert.Equal("kubectl/Apply", manager.Output);
    }

    [Fact]
    public async Task ApplyServerSide_OtherManagersField_ConflictsUntilForced()
    {
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        await kubectl.RunAsync("apply --server-side -f -", ConfigMapYaml);
        var changed = ConfigMapYaml.Replace("mode: fast", "mode: slow", StringComparison.Ordinal);

        var conflict = await kubectl.RunAsync("apply --server-side --field-manager=tuner -f -", changed);
        var forced = await kubectl.RunAsync("apply --server-side --field-manager=tuner --force-conflicts -f -", changed);
        var mode = await kubectl.RunAsync("get configmap settings -o jsonpath={.data.mode}");

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict with \"kubectl\": .data.mode", conflict.Error, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal("slow", mode.Output);
    }
}
