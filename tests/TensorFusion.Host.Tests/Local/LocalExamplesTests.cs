using TensorFusion.Api.Serialization;
using TensorFusion.Api.Workloads;

namespace TensorFusion.Host.Tests.Local;

/// <summary>The local-mode examples the README and the banner point at are valid and target the local default pool.</summary>
public sealed class LocalExamplesTests
{
    public static TheoryData<string> ExampleFiles() =>
        new(Directory.GetFiles(RepositoryFiles.Path("deploy", "examples", "local"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Read_LocalExample_IsValidAndUsesTheDefaultPool(string fileName)
    {
        var path = RepositoryFiles.Path("deploy", "examples", "local", fileName);

        var result = await ManifestReader.ReadFileAsync(path, new ManifestReadOptions { IgnoreForeignKinds = true });

        Assert.Empty(result.Errors);
        var workloads = result.Objects.Select(entry => entry.Resource).OfType<TensorFusionWorkload>().ToList();
        Assert.NotEmpty(workloads);
        Assert.All(workloads, workload => Assert.Equal("default-pool", workload.Spec?.PoolName));
    }
}
