namespace TensorFusion.LocalCluster.Tests.Kubectl;

/// <summary>The project's own CRDs and examples (deploy/) go through plain kubectl apply, get and explain.</summary>
[Trait("Category", "Integration")]
public sealed class ProjectCrdTests
{
    [Fact]
    public async Task ApplyProjectCrdsAndWorkloadExample_ThenGetAndExplain()
    {
        var root = RepositoryRoot();
        await using var cluster = await TestCluster.StartAsync();
        var kubectl = new Kubectl(cluster);
        var crdFiles = Directory.GetFiles(Path.Combine(root, "deploy", "crds"), "*.tensor-fusion.ai.yaml").Order(StringComparer.Ordinal).ToList();
        await kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n");

        var crds = await kubectl.RunAsync("apply " + string.Join(' ', crdFiles.Select(file => "-f " + file)));
        var workload = await kubectl.RunAsync("apply -f " + Path.Combine(root, "deploy", "examples", "tensorfusionworkload-autoscaling.yaml"));
        var listed = await new Kubectl(cluster, "second-cache").RunAsync("get tfw -n prod");
        var explained = await new Kubectl(cluster, "third-cache").RunAsync("explain tfw.spec.autoScalingConfig");

        Assert.True(crds.ExitCode == 0, crds.Error);
        Assert.Equal(crdFiles.Count, crds.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(" created", StringComparison.Ordinal)));
        Assert.True(workload.ExitCode == 0, workload.Error);
        Assert.Contains("tensorfusionworkload.tensor-fusion.ai/chat-api created", workload.Output, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains("chat-api", listed.Output, StringComparison.Ordinal);
        Assert.True(explained.ExitCode == 0, explained.Error);
        Assert.Contains("FIELDS:", explained.Output, StringComparison.Ordinal);
        Assert.Contains("autoSetResources", explained.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TensorFusion.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("TensorFusion.slnx not found above the test binaries");
    }
}
