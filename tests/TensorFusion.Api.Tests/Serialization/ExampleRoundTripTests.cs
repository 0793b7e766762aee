using System.Text.Json;
using System.Text.Json.Nodes;
using TensorFusion.Api.Serialization;

namespace TensorFusion.Api.Tests.Serialization;

/// <summary>
/// Every example manifest survives YAML → typed object → JSON unchanged (compared as JSON trees), so no field of the
/// examples is dropped, renamed or re-defaulted by the C# types.
/// </summary>
public sealed class ExampleRoundTripTests
{
    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Examples, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Read_Example_SerializesBackToTheSameJsonTree(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, fileName));
        var (documents, syntaxError) = YamlJsonReader.ReadDocuments(text);
        Assert.Null(syntaxError);

        var result = ManifestReader.Read(text, fileName);

        Assert.Empty(result.Errors);
        var inputs = documents.Where(document => document.Root is not null).Select(document => document.Root!).ToList();
        Assert.Equal(inputs.Count, result.Objects.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var output = JsonNode.Parse(JsonSerializer.Serialize(result.Objects[i].Resource, result.Objects[i].Resource.GetType(), TensorFusionJson.Options));
            Assert.True(
                JsonNode.DeepEquals(inputs[i], output),
                $"{fileName} document {i + 1} changed in the round trip: {JsonTreeDiff.FirstDifference(inputs[i], output)}");
        }
    }

    [Fact]
    public void ExampleFiles_CoverEveryKind()
    {
        var kinds = Directory.GetFiles(RepositoryPaths.Examples, "*.yaml")
            .SelectMany(file => ManifestReader.Read(File.ReadAllText(file), file).Objects)
            .Select(entry => entry.Resource.Kind)
            .ToHashSet();

        Assert.All(ApiKinds.All, kind => Assert.Contains(kind.Kind, kinds));
    }
}
