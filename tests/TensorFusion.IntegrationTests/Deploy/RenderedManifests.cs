using System.Text.Json.Nodes;

namespace TensorFusion.IntegrationTests.Deploy;

/// <summary>The objects one kustomization renders to (<c>kubectl kustomize</c>), with lookups by kind and name.</summary>
internal sealed class RenderedManifests
{
    private RenderedManifests(string directory, IReadOnlyList<JsonObject> objects)
    {
        Directory = directory;
        Objects = objects;
    }

    public string Directory { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public static async Task<RenderedManifests> RenderAsync(string kustomizationDirectory)
    {
        var result = await ExternalTool.RunAsync("kubectl", ExternalTool.KubectlHint, ["kustomize", kustomizationDirectory]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {kustomizationDirectory} failed: {result.Describe()}");
        return new RenderedManifests(kustomizationDirectory, YamlDocuments.ParseAll(result.StandardOutput));
    }

    public IEnumerable<JsonObject> OfKind(string kind) =>
        Objects.Where(manifest => (string?)manifest["kind"] == kind);

    public JsonObject Single(string kind, string name)
    {
        var matches = OfKind(kind).Where(manifest => (string?)manifest["metadata"]?["name"] == name).ToList();
        Assert.True(matches.Count == 1, $"{Directory}: expected one {kind}/{name}, found {matches.Count}");
        return matches[0];
    }

    /// <summary>Deployments and DaemonSets: everything that runs containers.</summary>
    public IEnumerable<JsonObject> Workloads() => OfKind("Deployment").Concat(OfKind("DaemonSet"));

    public static JsonObject PodSpec(JsonObject workload) =>
        workload["spec"]?["template"]?["spec"]?.AsObject()
            ?? throw new InvalidOperationException($"{workload["kind"]}/{workload["metadata"]?["name"]} has no pod template");

    public static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        PodSpec(workload)["containers"]!.AsArray().Select(container => container!.AsObject());

    public static IReadOnlyList<string> Strings(JsonNode? array) =>
        array is JsonArray items ? [.. items.Select(item => (string?)item ?? string.Empty)] : [];
}
