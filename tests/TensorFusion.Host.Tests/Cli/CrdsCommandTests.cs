using TensorFusion.Api;

namespace TensorFusion.Host.Tests.Cli;

public sealed class CrdsCommandTests
{
    [Fact]
    public async Task Invoke_Crds_PrintsEveryCrdAsOneYamlStream()
    {
        var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("crds");

        Assert.Equal(0, exitCode);
        // Seven kinds, each preceded by a document separator.
        Assert.Equal(ApiKinds.All.Count, output.Split("\n---\n").Length - 1);
        Assert.Contains("name: tensorfusionworkloads.tensor-fusion.ai\n", output, StringComparison.Ordinal);
        Assert.Contains("name: gpuresourcequotas.tensor-fusion.ai\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_CrdsWithOutput_WritesOneFilePerKindAndAKustomization()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tf-crds-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output) = await TensorFusionCliTests.InvokeAsync("crds", "--output", directory);

            Assert.Equal(0, exitCode);
            Assert.Contains($"wrote {ApiKinds.All.Count + 1} files", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "tensorfusionworkloads.tensor-fusion.ai.yaml")));
            Assert.Contains("- gpus.tensor-fusion.ai.yaml", await File.ReadAllTextAsync(Path.Combine(directory, "kustomization.yaml")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
