using TensorFusion.Api.Serialization;
using TensorFusion.Host.Cli;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>The manifests against the code they configure: the CLI that parses the container args, the API types that read the pool.</summary>
[Trait("Category", "Deploy")]
public sealed class ManifestAlignmentTests(KustomizationFixture manifests) : IClassFixture<KustomizationFixture>
{
    [Theory]
    [InlineData("DaemonSet", "tensorfusion-agent", "agent")]
    [InlineData("Deployment", "tensorfusion-operator", "operator")]
    public void ContainerArgs_EveryOverlay_ParseWithTheTensorfusionCli(string kind, string name, string verb)
    {
        foreach (var rendered in manifests.All)
        {
            var container = RenderedManifests.Containers(rendered.Single(kind, name)).Single();
            // The kubelet expands $(VAR) from the container env before the process starts.
            var args = RenderedManifests.Strings(container["args"])
                .Select(a => a.Replace("$(NODE_NAME)", "gpu-node-a", StringComparison.Ordinal)
                    .Replace("$(POD_NAMESPACE)", "tensor-fusion-system", StringComparison.Ordinal))
                .ToArray();

            var parseResult = TensorFusionCli.Create().Parse(args);

            Assert.True(parseResult.Errors.Count == 0,
                $"{rendered.Directory}: tensorfusion {string.Join(' ', args)}:\n{string.Join('\n', parseResult.Errors.Select(e => e.Message))}");
            Assert.Equal(verb, parseResult.CommandResult.Command.Name);
        }
    }

    [Fact]
    public void DefaultPool_ReadsAndValidatesAsAGpuPool()
    {
        var path = RepositoryLayout.Deploy("base", "pool", "default-pool.yaml");

        var result = ManifestReader.Read(File.ReadAllText(path), path);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal("default-pool", Assert.Single(result.GetObjectsOrThrow()).Metadata.Name);
    }
}
