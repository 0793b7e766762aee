using TensorFusion.Api.Schema;

namespace TensorFusion.Api.Tests.Schema;

/// <summary>deploy/crds is generated: these tests fail when the committed files no longer match the C# types.</summary>
public sealed class CrdFilesTests
{
    private const string FixCommand = "dotnet run --project src/Host -- crds --output deploy/crds";

    [Fact]
    public void DeployCrds_MatchTheGeneratedFiles()
    {
        var stale = new List<string>();
        foreach (var (name, expected) in CrdGenerator.RenderFiles())
        {
            var path = Path.Combine(RepositoryPaths.Crds, name);
            if (!File.Exists(path))
            {
                stale.Add($"{name} is missing");
            }
            else if (File.ReadAllText(path).ReplaceLineEndings("\n") != expected)
            {
                stale.Add($"{name} differs");
            }
        }

        Assert.True(stale.Count == 0, $"deploy/crds is stale ({string.Join("; ", stale)}). Regenerate with: {FixCommand}");
    }

    [Fact]
    public void DeployCrds_HoldNoFilesTheGeneratorDoesNotWrite()
    {
        var generated = CrdGenerator.RenderFiles().Keys.ToHashSet();
        var extra = Directory.GetFiles(RepositoryPaths.Crds).Select(Path.GetFileName).Where(name => !generated.Contains(name!)).ToList();

        Assert.True(extra.Count == 0, $"deploy/crds holds files the generator does not write: {string.Join(", ", extra)}. Remove them and run: {FixCommand}");
    }

    [Fact]
    public void RenderFiles_KustomizationListsEveryCrd()
    {
        var files = CrdGenerator.RenderFiles();

        var kustomization = files[CrdGenerator.KustomizationFileName];

        Assert.Equal(ApiKinds.All.Count + 1, files.Count);
        Assert.All(ApiKinds.All, kind => Assert.Contains($"- {CrdGenerator.FileName(kind)}\n", kustomization, StringComparison.Ordinal));
    }
}
