using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>
/// Reads YAML into <see cref="JsonNode"/> trees so tests can navigate manifests and rules with one API.
/// Scalars stay strings ("2", "true"): the tests compare them as written.
/// </summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<JsonObject> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents
            .Select(document => ToJson(document.RootNode))
            .OfType<JsonObject>()];
    }

    public static JsonObject ParseSingle(string path)
    {
        var documents = ParseAll(File.ReadAllText(path));
        Assert.True(documents.Count == 1, $"{path}: expected exactly one YAML document, found {documents.Count}");
        return documents[0];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value ?? string.Empty, ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Value: null or "null" or "~", Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };
}
